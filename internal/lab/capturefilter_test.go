package lab

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestCaptureStartupFilters: `sipdbg capture --hep … --report` with
// --no-options and --method INVITE keeps only the INVITE's messages of
// what HEP brings (an OPTIONS ping, a REGISTER challenged, an INVITE
// refused), counts what it left out, and reports the INVITE alone.
func TestCaptureStartupFilters(t *testing.T) {
	bin := buildSipdbg(t)
	port := freeUDPAndTCPPort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	capture := exec.CommandContext(ctx, bin, "capture", "--hep", fmt.Sprintf("127.0.0.1:%d", port), "--duration", "3s", "--report",
		"--no-options", "--method", "INVITE")
	var out bytes.Buffer
	capture.Stdout = &out
	stderr, err := capture.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	// Scripts wait for this line before they send.
	if line, err := bufio.NewReader(stderr).ReadString('\n'); err != nil || !strings.Contains(line, "capturing on") {
		t.Fatalf("capture's first line: %q, %v", line, err)
	}
	msg := func(first, callID, cseq string) []byte {
		return []byte(first + "\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK" + callID + cseq[:1] +
			"\r\nFrom: <sip:alice@lab.test>;tag=a\r\nTo: <sip:bob@lab.test>\r\nCall-ID: " + callID +
			"\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n")
	}
	sent := [][]byte{
		msg("OPTIONS sip:lab.test SIP/2.0", "ping-1", "1 OPTIONS"),
		msg("SIP/2.0 200 OK", "ping-1", "1 OPTIONS"),
		msg("REGISTER sip:lab.test SIP/2.0", "reg-1", "1 REGISTER"),
		msg("SIP/2.0 401 Unauthorized", "reg-1", "1 REGISTER"),
		msg("INVITE sip:bob@lab.test SIP/2.0", "call-1", "1 INVITE"),
		msg("SIP/2.0 486 Busy Here", "call-1", "1 INVITE"),
		msg("ACK sip:bob@lab.test SIP/2.0", "call-1", "1 ACK"),
	}
	conn, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	at := time.Now()
	for i, m := range sent {
		if _, err := conn.Write(hep3(m, at.Add(time.Duration(i)*time.Millisecond), "")); err != nil {
			t.Fatal(err)
		}
	}
	if err := capture.Wait(); err != nil {
		t.Fatalf("capture: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{"call-1", "Totals: 7 packets, 3 SIP messages", "; 4 SIP messages left out by the start-up filters"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in the capture's report:\n%s", want, s)
		}
	}
	for _, no := range []string{"ping-1", "reg-1"} {
		if strings.Contains(s, no) {
			t.Errorf("the filtered call %s is in the report:\n%s", no, s)
		}
	}
}
