package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

func TestQuickstartInProcess(t *testing.T) {
	var out bytes.Buffer

	err := run(context.Background(), &out, func(string) string { return "" })

	require.NoError(t, err, out.String())
	assertWalked(t, out.String())
}

func TestQuickstartAgainstAServer(t *testing.T) {
	srv := factpulsetest.NewServer()
	t.Cleanup(srv.Close)
	env := map[string]string{
		"FACTPULSE_BASE_URL": srv.URL,
		"FACTPULSE_TOKEN":    srv.AccountToken(),
	}
	var out bytes.Buffer

	err := run(context.Background(), &out, func(k string) string { return env[k] })

	require.NoError(t, err, out.String())
	assert.Contains(t, out.String(), "Using the FactPulse server at "+srv.URL)
	assertWalked(t, out.String())
	assert.NoError(t, srv.Err(), "every answer of the fake matched the spec")
}

func TestQuickstartWithALogin(t *testing.T) {
	srv := factpulsetest.NewServer(factpulsetest.WithUser("compta@example.com", "pw-123456"))
	t.Cleanup(srv.Close)
	env := map[string]string{
		"FACTPULSE_BASE_URL": srv.URL,
		"FACTPULSE_USERNAME": "compta@example.com",
		"FACTPULSE_PASSWORD": "pw-123456",
	}
	var out bytes.Buffer

	err := run(context.Background(), &out, func(k string) string { return env[k] })

	require.NoError(t, err, out.String())
	assertWalked(t, out.String())
	assert.NotContains(t, out.String(), "pw-123456")
	assert.Equal(t, 1, srv.Stats().Logins)
	assert.NoError(t, srv.Err())
}

func TestQuickstartNeedsAToken(t *testing.T) {
	env := map[string]string{"FACTPULSE_BASE_URL": "http://127.0.0.1:1"}

	err := run(context.Background(), &bytes.Buffer{}, func(k string) string { return env[k] })

	assert.ErrorContains(t, err, "set FACTPULSE_TOKEN")
}

func assertWalked(t *testing.T, out string) {
	t.Helper()

	for _, want := range []string{
		"name:        Boulangerie Martin\n",
		"1 client(s) in all",
		"name:        Boulangerie Martin & Fils\n",
		"description: (none)\n",
		"client secret: ******** (active",
		"has PDP config=true, PDP active=true",
		"active=false",
		"active=true",
		"Done: the client went through its whole life.",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "example-pdp-secret")
}
