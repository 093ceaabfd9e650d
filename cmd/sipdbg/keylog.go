package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/tui/config"
)

// keylogFlag is --keylog FILE, repeatable: TLS key logs in the NSS
// format (SSLKEYLOGFILE) to decrypt SIP over TLS and WSS with.
type keylogFlag []string

func (k *keylogFlag) String() string { return strings.Join(*k, ",") }

func (k *keylogFlag) Set(v string) error {
	*k = append(*k, v)
	return nil
}

const keylogUsage = "decrypt SIP over TLS and WSS with this TLS key log (SSLKEYLOGFILE format; repeatable; $SSLKEYLOGFILE and the configuration's keylog are read too)"

func addKeylogFlag(fs *flag.FlagSet) *keylogFlag {
	k := &keylogFlag{}
	fs.Var(k, "keylog", keylogUsage)
	return k
}

// maxKeylogWarnings bounds the bad lines reported per file.
const maxKeylogWarnings = 3

// loadKeylog reads, once at start, the key logs of the configuration,
// of $SSLKEYLOGFILE and of the flags, merged; nil when there are none. A
// file that cannot be read is an error naming it; its bad lines are
// warnings on stderr, and the rest of it is read.
func loadKeylog(files keylogFlag, cfg config.Config, stderr io.Writer) (*tlsrec.Keylog, error) {
	paths := append([]string(nil), cfg.Keylog...)
	if env := os.Getenv("SSLKEYLOGFILE"); env != "" {
		paths = append(paths, env)
	}
	paths = append(paths, files...)
	if len(paths) == 0 {
		return nil, nil
	}
	all := tlsrec.NewKeylog()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, errors.New("key log " + p + ": " + err.Error())
		}
		k, errs := tlsrec.ParseKeylog(f)
		f.Close()
		for i, e := range errs {
			if i == maxKeylogWarnings {
				fmt.Fprintln(stderr, "sipdbg: warning: "+p+": "+strconv.Itoa(len(errs)-i)+" more bad lines")
				break
			}
			fmt.Fprintln(stderr, "sipdbg: warning: "+p+": "+e.Error())
		}
		all.Merge(k)
	}
	return all, nil
}
