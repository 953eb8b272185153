// Command factpulse-fake runs the in-memory FactPulse Client Management
// service of package factpulsetest, for trying a client by hand.
//
// It listens on 127.0.0.1:8001 unless -addr says otherwise, and prints
// shell lines that set FACTPULSE_BASE_URL and FACTPULSE_TOKEN, an
// account-level token that lasts 24 hours (-token-lifetime changes it):
//
//	eval "$(factpulse-fake)"     # or paste the two lines it prints
//
// With -user and -password (or FACTPULSE_FAKE_USER and
// FACTPULSE_FAKE_PASSWORD), POST /api/token/ accepts that login. Tokens from
// a login or a refresh last as long as the printed one; refresh tokens last
// 7 days. All state is in memory and lost when the command stops, on SIGINT
// or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, os.Args[1:], os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "factpulse-fake:", err)
		os.Exit(1)
	}
}

// settings are the command's flags.
type settings struct {
	addr     string
	user     string
	password string
	lifetime time.Duration
}

func parse(args []string, getenv func(string) string) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("factpulse-fake", flag.ContinueOnError)
	fs.StringVar(&s.addr, "addr", "127.0.0.1:8001", "address to listen on")
	fs.StringVar(&s.user, "user", getenv("FACTPULSE_FAKE_USER"),
		"username of a login for POST /api/token/ (default $FACTPULSE_FAKE_USER)")
	fs.StringVar(&s.password, "password", getenv("FACTPULSE_FAKE_PASSWORD"),
		"password of that login (default $FACTPULSE_FAKE_PASSWORD)")
	fs.DurationVar(&s.lifetime, "token-lifetime", 24*time.Hour,
		"lifetime of the printed token and of access tokens")

	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if (s.user == "") != (s.password == "") {
		return s, errors.New("-user and -password go together")
	}
	return s, nil
}

// run serves until ctx ends, after printing the base URL and a token to out.
func run(ctx context.Context, args []string, out io.Writer, getenv func(string) string) error {
	s, err := parse(args, getenv)
	if err != nil {
		return err
	}

	opts := []factpulsetest.Option{
		factpulsetest.WithTokenLifetimes(s.lifetime, factpulsetest.DefaultRefreshLifetime),
	}
	if s.user != "" {
		opts = append(opts, factpulsetest.WithUser(s.user, s.password))
	}
	fake := factpulsetest.New(opts...)

	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "export FACTPULSE_BASE_URL=http://%s\n", ln.Addr())
	fmt.Fprintf(out, "export FACTPULSE_TOKEN=%s\n", fake.AccountToken())

	return serve(ctx, ln, fake)
}

// serve runs the HTTP server until ctx ends, then shuts it down.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	failed := make(chan error, 1)
	go func() { failed <- srv.Serve(ln) }()

	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}

	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
