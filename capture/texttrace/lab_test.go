package texttrace_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// TestLabTraces records the real-program fixtures afresh
// (testdata/lab/traces/regen-traces.sh: Kamailio sipdump, SIPp, baresip,
// sngrep) into a scratch directory and checks them like the committed
// ones. It needs root and the lab's Debian packages, so it runs only when
// SIPDBG_LAB=1; baresip and sngrep are not in the lab's base set, and
// their absence skips it.
func TestLabTraces(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp, baresip, sngrep, tmux, tcpdump, tshark) to run the live lab")
	}
	for _, tool := range []string{"baresip", "sngrep"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install -y baresip-core sngrep)", tool)
		}
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	script := filepath.Join(testenv.Root(t), "testdata", "lab", "traces", "regen-traces.sh")
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Env = append(os.Environ(), "TRACES_DIR="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regen-traces.sh: %v\n%s", err, b)
	}
	t.Run("expected", func(t *testing.T) { checkFixtures(t, out) })
	t.Run("capture", func(t *testing.T) { checkCaptures(t, out) })
}
