package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunPrintsUsableURLAndToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, noEnv) }()

	lines := bufio.NewScanner(pr)
	vars := map[string]string{}
	for len(vars) < 2 && lines.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(lines.Text(), "export "), "=")
		require.True(t, ok, lines.Text())
		vars[name] = value
	}
	require.Contains(t, vars["FACTPULSE_BASE_URL"], "http://127.0.0.1:")

	req, err := http.NewRequest(http.MethodGet, vars["FACTPULSE_BASE_URL"]+"/api/v1/clients", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+vars["FACTPULSE_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	assert.NoError(t, <-done)
}

func TestParse(t *testing.T) {
	env := map[string]string{"FACTPULSE_FAKE_USER": "ann", "FACTPULSE_FAKE_PASSWORD": "pw"}
	s, err := parse(nil, func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, settings{addr: "127.0.0.1:8001", user: "ann", password: "pw",
		lifetime: s.lifetime}, s)
	assert.Equal(t, "24h0m0s", s.lifetime.String())

	_, err = parse([]string{"-user", "ann"}, noEnv)
	assert.Error(t, err)
}

func noEnv(string) string { return "" }
