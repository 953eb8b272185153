package factpulsetest

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is a [Fake] listening on 127.0.0.1, on a port the OS picks, much as
// an httptest.Server. Close it when the test ends.
type Server struct {
	*Fake

	// URL is the base URL of the fake, such as http://127.0.0.1:49152,
	// without a trailing slash.
	URL string

	srv    *http.Server
	done   chan struct{}
	client *http.Client
}

// NewServer starts a Fake made with opts on 127.0.0.1. It panics when it
// cannot listen, as httptest.NewServer does.
func NewServer(opts ...Option) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("factpulsetest: listening on 127.0.0.1: " + err.Error())
	}

	f := New(opts...)
	s := &Server{
		Fake:   f,
		URL:    "http://" + ln.Addr().String(),
		srv:    &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan struct{}),
		client: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	go s.serve(ln)
	return s
}

func (s *Server) serve(ln net.Listener) {
	defer close(s.done)

	err := s.srv.Serve(ln)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		panic("factpulsetest: serving: " + err.Error())
	}
}

// Client returns an HTTP client with its own connections, which Close
// closes. Any other client works too.
func (s *Server) Client() *http.Client {
	return s.client
}

// Close stops the server: it closes the listener and every connection,
// which ends the context of requests still running, and waits for the
// server to stop. The Fake itself stays usable, for Err and Stats.
func (s *Server) Close() {
	s.srv.Close()
	<-s.done
	s.client.CloseIdleConnections()
}
