package factpulse

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedServer serves a list of n clients; answer may bend the truth of each page to
// mimic a misbehaving service.
type pagedServer struct {
	n      int
	answer func(page, size int, items []map[string]any) (results []map[string]any, total int)

	mu    sync.Mutex
	pages []string // "page/size" for every request, size "" when not sent
}

func (p *pagedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	p.pages = append(p.pages, q.Get("page")+"/"+q.Get("pageSize"))
	p.mu.Unlock()

	page, size := atoiOr(q.Get("page"), 1), atoiOr(q.Get("pageSize"), 20)
	var items []map[string]any
	for i := (page - 1) * size; i < page*size && i < p.n; i++ {
		items = append(items, fakeClient(i))
	}
	results, total := items, p.n
	if p.answer != nil {
		results, total = p.answer(page, size, items)
	}
	if results == nil {
		results = []map[string]any{}
	}

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"results": results, "total": total,
		"page": page, "pageSize": size})
}

func (p *pagedServer) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()

	return append([]string(nil), p.pages...)
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}

	return def
}

func fakeClient(i int) map[string]any {
	ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)

	return map[string]any{
		"uid": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "name": fmt.Sprint("client ", i),
		"isActive": true, "hasConfigPdp": false, "hasConfigChorus": false,
		"createdAt": ts, "updatedAt": ts,
	}
}

func collect(t *testing.T, c *Client, opts *ListOptions) ([]string, error) {
	t.Helper()

	var names []string
	for ci, err := range c.Clients.All(context.Background(), opts) {
		if err != nil {
			return names, err
		}
		names = append(names, ci.Name)
	}

	return names, nil
}

func TestAllStopsWhereItShould(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		opts     *ListOptions
		answer   func(page, size int, items []map[string]any) ([]map[string]any, int)
		want     int
		requests []string
	}{
		{name: "no clients", n: 0, want: 0, requests: []string{"1/"}},
		{name: "short last page", n: 5, opts: &ListOptions{PageSize: 2}, want: 5,
			requests: []string{"1/2", "2/2", "3/2"}},
		{name: "exact multiple stops at total", n: 4, opts: &ListOptions{PageSize: 2}, want: 4,
			requests: []string{"1/2", "2/2"}},
		{name: "default page size", n: 25, want: 25, requests: []string{"1/", "2/"}},
		{name: "starts at the asked page", n: 5, opts: &ListOptions{Page: 2, PageSize: 2},
			want: 3, requests: []string{"2/2", "3/2"}},
		{
			name: "empty page although total says more", n: 4, opts: &ListOptions{PageSize: 2},
			answer: func(page, _ int, items []map[string]any) ([]map[string]any, int) {
				if page == 2 {
					return nil, 100
				}
				return items, 100
			},
			want: 2, requests: []string{"1/2", "2/2"},
		},
		{
			name: "service ignores the page number", n: 10, opts: &ListOptions{PageSize: 2},
			answer: func(_, _ int, _ []map[string]any) ([]map[string]any, int) {
				return []map[string]any{fakeClient(0), fakeClient(1)}, 10
			},
			want: 2, requests: []string{"1/2", "2/2"},
		},
		{
			name: "total smaller than what was served", n: 6, opts: &ListOptions{PageSize: 2},
			answer: func(_, _ int, items []map[string]any) ([]map[string]any, int) {
				return items, 3
			},
			want: 4, requests: []string{"1/2", "2/2"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := &pagedServer{n: tt.n, answer: tt.answer}
			srv := httptest.NewServer(ps)
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL)

			var before ListOptions
			if tt.opts != nil {
				before = *tt.opts
			}
			names, err := collect(t, c, tt.opts)

			require.NoError(t, err)
			assert.Len(t, names, tt.want)
			assert.Equal(t, tt.requests, ps.requests())
			if tt.opts != nil {
				assert.Equal(t, before, *tt.opts, "the caller's options are not changed")
			}
		})
	}
}

func TestAllStopsWhenTheCallerBreaks(t *testing.T) {
	ps := &pagedServer{n: 50}
	srv := httptest.NewServer(ps)
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)

	seen := 0
	for _, err := range c.Clients.All(context.Background(), &ListOptions{PageSize: 10}) {
		require.NoError(t, err)
		seen++
		if seen == 3 {
			break
		}
	}

	assert.Equal(t, 3, seen)
	assert.Equal(t, []string{"1/10"}, ps.requests())
}

func TestAllYieldsTheErrorAndStops(t *testing.T) {
	ws := newWireServer(t, 403, "application/json", `{"detail":"Access denied"}`)
	c := newTestClient(t, ws.URL)

	names, err := collect(t, c, nil)

	assert.Empty(t, names)
	assert.ErrorIs(t, err, ErrForbidden)
	assert.Equal(t, 1, ws.count())
}

func TestAllRejectsBadOptionsBeforeSending(t *testing.T) {
	ws := newWireServer(t, 200, "application/json", `{}`)
	c := newTestClient(t, ws.URL)

	_, err := collect(t, c, &ListOptions{PageSize: 500})

	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Zero(t, ws.count())
}

func TestAllCanBeRangedAgainAndAtOnce(t *testing.T) {
	ps := &pagedServer{n: 5}
	srv := httptest.NewServer(ps)
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)
	seq := c.Clients.All(context.Background(), &ListOptions{PageSize: 2})
	count := func() int {
		n := 0
		for _, err := range seq {
			if err == nil {
				n++
			}
		}
		return n
	}

	assert.Equal(t, 5, count())
	assert.Equal(t, 5, count(), "a second range starts from the first page again")

	var wg sync.WaitGroup
	counts := make([]int, 3)
	for i := range counts {
		wg.Go(func() { counts[i] = count() })
	}
	wg.Wait()
	assert.Equal(t, []int{5, 5, 5}, counts)
}
