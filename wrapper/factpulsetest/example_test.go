package factpulsetest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// A test starts a server, points its code at srv.URL with a token, and at
// the end checks srv.Err. Here the "code under test" is a bare HTTP call.
func Example() {
	srv := factpulsetest.NewServer()
	defer srv.Close()

	uid := srv.AddClient("Boulangerie Martin")
	srv.InjectFault(factpulsetest.Fault{Method: "GET", Status: 503, RetryAfter: "1"})

	get := func() *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/clients/"+uid, nil)
		req.Header.Set("Authorization", "Bearer "+srv.ClientToken(uid))
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		return resp
	}

	first := get()
	first.Body.Close()
	fmt.Println(first.StatusCode, first.Header.Get("Retry-After"))

	second := get()
	body, _ := io.ReadAll(second.Body)
	second.Body.Close()
	fmt.Println(second.StatusCode, strings.Contains(string(body), `"name":"Boulangerie Martin"`))

	fmt.Println(srv.Stats().Requests["getClient"], srv.Err())
	// Output:
	// 503 1
	// 200 true
	// 1 <nil>
}
