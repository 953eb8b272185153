package factpulsetest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

func TestConcurrentUse(t *testing.T) {
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"))
	uid := srv.AddClient("Shared")
	srv.InjectFault(factpulsetest.Fault{Method: "GET", Path: "/api/v1/clients/" + uid, Times: 5,
		Status: 503})

	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			tok := srv.AccountToken()
			expect := func(status int, method, path, token, body string) {
				a, err := send(srv, method, path, token, body)
				if assert.NoError(t, err, method+" "+path) {
					assert.Equal(t, status, a.status, method+" "+path)
				}
			}
			login := `{"username":"ann@example.com","password":"pw"}`
			for i := range rounds {
				body := fmt.Sprintf(`{"name":"w%d-%d"}`, w, i)
				expect(http.StatusCreated, "POST", "/api/v1/clients", tok, body)
				expect(http.StatusOK, "PATCH", "/api/v1/clients/"+uid, srv.ClientToken(uid), body)
				got, err := send(srv, "GET", "/api/v1/clients/"+uid, tok, "")
				if assert.NoError(t, err) {
					assert.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable},
						got.status, "a GET is answered, or hit by one of the five faults")
				}
				expect(http.StatusOK, "GET", "/api/v1/clients?pageSize=100", tok, "")
				expect(http.StatusOK, "POST", "/api/token/", "", login)
				_ = srv.Stats()
				_ = srv.Requests()
			}
		})
	}
	wg.Wait()

	stats := srv.Stats()
	assert.Equal(t, workers*rounds, stats.Requests["createClient"])
	assert.Equal(t, workers*rounds, stats.Logins)
	assert.Equal(t, 5, stats.Faults)
	assert.Equal(t, workers*rounds-5, stats.Requests["getClient"])
	list := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
	assert.Contains(t, list.body, fmt.Sprintf(`"total":%d`, workers*rounds+1))
}

func TestRequestsAreRecorded(t *testing.T) {
	srv := start(t)
	tok := srv.AccountToken()
	call(t, srv, "POST", "/api/v1/clients?x=1", tok, `{"name":"A"}`)

	reqs := srv.Requests()
	assert.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/api/v1/clients", reqs[0].Path)
	assert.Equal(t, "x=1", reqs[0].RawQuery)
	assert.Equal(t, "Bearer "+tok, reqs[0].Header.Get("Authorization"))
	assert.JSONEq(t, `{"name":"A"}`, string(reqs[0].Body))
}
