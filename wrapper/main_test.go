package factpulse

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run when a test leaves a goroutine behind: a token fetch, a retry
// wait or a connection that was never closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
