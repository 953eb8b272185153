package factpulsetest

import "time"

// Default token lifetimes, those of the real service.
const (
	DefaultAccessLifetime  = 30 * time.Minute
	DefaultRefreshLifetime = 7 * 24 * time.Hour
)

// Option configures a [Fake] made by [New] or [NewServer].
type Option func(*config)

type config struct {
	users   []user
	access  time.Duration
	refresh time.Duration
	now     func() time.Time
}

// user is one login of the account.
type user struct {
	id       int
	name     string
	password string
}

func defaults() config {
	return config{
		access:  DefaultAccessLifetime,
		refresh: DefaultRefreshLifetime,
		now:     time.Now,
	}
}

// WithUser adds a login for POST /api/token/. Without it no login succeeds;
// [Fake.AccountToken] and [Fake.ClientToken] still mint tokens. Users get
// user_id 1, 2, ... in the order of the options; giving a username twice
// replaces its password.
func WithUser(username, password string) Option {
	return func(c *config) {
		for i := range c.users {
			if c.users[i].name == username {
				c.users[i].password = password
				return
			}
		}
		c.users = append(c.users, user{id: len(c.users) + 1, name: username, password: password})
	}
}

// WithTokenLifetimes sets how long access and refresh tokens last, from the
// login, the refresh or the minting. The defaults are 30 minutes and 7 days.
// A zero or negative duration keeps the default. Lifetimes may be as short
// as a millisecond, so that a test can see a token expire.
func WithTokenLifetimes(access, refresh time.Duration) Option {
	return func(c *config) {
		if access > 0 {
			c.access = access
		}
		if refresh > 0 {
			c.refresh = refresh
		}
	}
}

// WithClock sets the fake's clock, for token expiry and for the timestamps
// of clients and PDP configurations. The default is [time.Now]; nil keeps
// it. The function must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}
