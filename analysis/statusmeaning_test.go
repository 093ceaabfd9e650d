package analysis

import (
	"strings"
	"testing"
)

// A refusal's explanation speaks of its own status and method: a busy
// callee is not explained with 404s and SUBSCRIBEs.
func TestRejectionExplanation(t *testing.T) {
	for _, tc := range []struct {
		method  string
		status  uint16
		want    []string
		wantNot []string
	}{
		{"INVITE", 486, []string{"486 Busy Here (§21.4.24)", "not a fault of the network"}, []string{"SUBSCRIBE", "404"}},
		{"INVITE", 603, []string{"603 Decline (§21.6.2)"}, []string{"SUBSCRIBE", "status class"}},
		{"REGISTER", 403, []string{"403 Forbidden", "authenticating again does not help"}, []string{"SUBSCRIBE"}},
		{"SUBSCRIBE", 489, []string{"status class", "feature the server does not offer"}, nil},
		{"PUBLISH", 501, []string{"501 Not Implemented", "feature the server does not offer"}, nil},
		{"INVITE", 499, []string{"status class"}, []string{"SUBSCRIBE"}},
	} {
		e := strings.Join(rejectionExplanation(tc.method, tc.status, nil), "")
		for _, w := range tc.want {
			if !strings.Contains(e, w) {
				t.Errorf("%s %d: no %q in %q", tc.method, tc.status, w, e)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(e, w) {
				t.Errorf("%s %d: %q in %q", tc.method, tc.status, w, e)
			}
		}
	}
}
