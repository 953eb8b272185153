package factpulsetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswersThatBreakTheSpecAreCaught(t *testing.T) {
	cases := []struct {
		name  string
		alter func(*recorder)
		want  string
	}{
		{"Z timestamps are fine but a missing property is not", func(w *recorder) {
			w.reset()
			writeJSON(w, http.StatusOK, map[string]any{"results": []any{}, "total": 0, "page": 1})
		}, "pageSize"},
		{"wrong type", func(w *recorder) {
			w.reset()
			writeJSON(w, http.StatusOK, map[string]any{"results": []any{}, "total": "0",
				"page": 1, "pageSize": 20})
		}, "total"},
		{"undocumented status", func(w *recorder) {
			w.reset()
			writeDetail(w, http.StatusTeapot, "no")
		}, "status is not supported"},
		{"bad uid in an item", func(w *recorder) {
			w.reset()
			item := map[string]any{"uid": "nope", "name": "A", "isActive": true,
				"hasConfigPdp": false, "hasConfigChorus": false,
				"createdAt": "2000-01-23T04:56:07.000+00:00",
				"updatedAt": "2000-01-23T04:56:07.000+00:00"}
			writeJSON(w, http.StatusOK, map[string]any{"results": []any{item}, "total": 1,
				"page": 1, "pageSize": 20})
		}, "uuid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := New()
			f.alter = tc.alter
			req := httptest.NewRequest("GET", "/api/v1/clients", nil)
			req.Header.Set("Authorization", "Bearer "+f.AccountToken())
			rec := httptest.NewRecorder()

			f.ServeHTTP(rec, req)

			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.JSONEq(t, `{"detail":"Internal Server Error"}`, rec.Body.String())
			require.Error(t, f.Err())
			assert.Contains(t, f.Err().Error(), tc.want)
			assert.Contains(t, f.Err().Error(), "GET /api/v1/clients")
		})
	}
}

func TestValidAnswersLeaveErrNil(t *testing.T) {
	f := New()
	req := httptest.NewRequest("GET", "/api/v1/clients", nil)
	req.Header.Set("Authorization", "Bearer "+f.AccountToken())
	rec := httptest.NewRecorder()

	f.ServeHTTP(rec, req)

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.NoError(t, f.Err())
}

func TestNumericDate(t *testing.T) {
	cases := []struct {
		at   time.Time
		json string
	}{
		{time.Unix(1767225600, 0), "1767225600"},
		{time.UnixMilli(1767225600250), "1767225600.25"},
		{time.UnixMilli(1767225600001), "1767225600.001"},
	}
	for _, tc := range cases {
		b, err := json.Marshal(numericDate(tc.at))
		require.NoError(t, err)
		assert.Equal(t, tc.json, string(b))

		var back numericDate
		require.NoError(t, json.Unmarshal(b, &back))
		assert.True(t, tc.at.Equal(time.Time(back)), tc.json)
	}
}

func TestSecretDoesNotPrint(t *testing.T) {
	f := New()
	uid := f.AddClient("C")
	body := `{"flowServiceUrl":"f","tokenUrl":"t","oauthClientId":"o","clientSecret":"hidden-1"}`
	req := httptest.NewRequest("PUT", "/api/v1/clients/"+uid+"/pdp-config", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.AccountToken())
	f.ServeHTTP(httptest.NewRecorder(), req)

	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.clients {
		require.NotNil(t, c.pdp)
		assert.Equal(t, "hidden-1", *c.pdp.secret)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			assert.NotContains(t, fmt.Sprintf(verb, *c.pdp), "hidden-1", verb)
		}
	}
}
