package factpulse

import (
	"context"
	"iter"
)

// All walks every client of the account, page after page, and yields them one at a time.
// It starts at opts.Page (the first page when opts is nil or Page is 0) and keeps
// opts.PageSize for every page; opts itself is copied, never changed.
//
// It stops after a page that is short or empty, a page that reaches the total the
// service reports, or a page that repeats the one before (a service that ignores the page
// number would otherwise loop forever). On an error it yields a zero ClientInfo with the
// error and stops. Each range over the result walks the pages anew, so it may be ranged
// over again, or from several goroutines at once.
//
//	for c, err := range client.Clients.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(c.Name)
//	}
func (s *ClientsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[ClientInfo,
	error] {
	var start ListOptions
	if opts != nil {
		start = *opts
	}
	if start.Page == 0 {
		start.Page = 1
	}

	return func(yield func(ClientInfo, error) bool) {
		o := start
		var prev *ClientPage
		for {
			page, err := s.List(ctx, &o)
			if err != nil {
				yield(ClientInfo{}, err)
				return
			}
			if len(page.Clients) == 0 || samePage(prev, page) {
				return
			}

			for _, c := range page.Clients {
				if !yield(c, nil) {
					return
				}
			}

			if isLastPage(o, page) {
				return
			}
			prev = page
			o.Page++
		}
	}
}

// isLastPage reports whether no page can follow page: it is short, or it reaches the
// total.
func isLastPage(asked ListOptions, page *ClientPage) bool {
	size := asked.PageSize
	if size == 0 {
		size = page.PageSize
	}
	if size <= 0 || len(page.Clients) < size {
		return true
	}

	return asked.Page*size >= page.Total
}

// samePage reports whether page holds the very clients of prev, in the same order.
func samePage(prev, page *ClientPage) bool {
	if prev == nil || len(prev.Clients) != len(page.Clients) {
		return false
	}
	for i := range page.Clients {
		if prev.Clients[i].UID != page.Clients[i].UID {
			return false
		}
	}

	return true
}
