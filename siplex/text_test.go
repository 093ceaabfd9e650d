package siplex

import (
	"strings"
	"testing"
)

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "\t a b \r\n", "abc", "\u00a0x\u00a0", " \u2003x y\u3000 ", "\xff ", " \xc2", "x\u0085", "\u00a0", " é ",
	} {
		want := strings.TrimSpace(s)
		if got := TrimSpace(s); got != want {
			t.Errorf("TrimSpace(%q) = %q, want %q", s, got, want)
		}
		if got := TrimSpace([]byte(s)); string(got) != want {
			t.Errorf("TrimSpace([]byte %q) = %q, want %q", s, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	if !EqualFold("Content-LENGTH", "content-length") || EqualFold("Content\rLength", "content-length") {
		t.Error("EqualFold folds letters only")
	}
	if !HasPrefixFold([]byte("Application/SDP; x"), "application/sdp") || HasPrefixFold("applic", "application") {
		t.Error("HasPrefixFold")
	}
	if !HasSuffixFold("INVITE sip:x Sip/2.0", " sip/2.0") || HasSuffixFold("sip/2.0", " sip/2.0") {
		t.Error("HasSuffixFold")
	}
}

func TestIsToken(t *testing.T) {
	const token = "abcXYZ019-.!%*_+`'~"
	for i := 0; i < 256; i++ {
		c := byte(i)
		want := strings.IndexByte(token, c) >= 0 || IsAlpha(c) || IsDigit(c)
		if IsToken(c) != want {
			t.Errorf("IsToken(%q) = %v", c, !want)
		}
	}
}
