package factpulse

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// BenchmarkGet measures one Get through the wrapper beside the same call through the
// generated client alone, against one loopback server and one HTTP client, so that the
// difference is the wrapper's overhead: headers, token, retry layer, checks and
// conversion.
func BenchmarkGet(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, clientJSON)
	}))
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: DefaultTimeout}
	ctx := context.Background()

	b.Run("wrapper", func(b *testing.B) {
		c, err := New(WithBaseURL(srv.URL), WithToken(testToken), WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}

		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Clients.Get(ctx, testUID); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("generated", func(b *testing.B) {
		auth := func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Accept", "application/json")
			return nil
		}
		api, err := apiclient.NewClientWithResponses(srv.URL, apiclient.WithHTTPClient(hc),
			apiclient.WithRequestEditorFn(auth))
		if err != nil {
			b.Fatal(err)
		}
		uid := uuid.MustParse(testUID)

		b.ReportAllocs()
		for b.Loop() {
			resp, err := api.GetClientWithResponse(ctx, uid)
			if err != nil {
				b.Fatal(err)
			}
			if resp.JSON200 == nil {
				b.Fatal(resp.StatusCode())
			}
		}
	})
}
