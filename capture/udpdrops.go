package capture

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
)

// udpDrops returns how many datagrams the kernel dropped for the UDP
// socket bound to addr because its receive buffer was full, and whether
// it could tell: Linux counts them per socket in the last column of
// /proc/net/udp and /proc/net/udp6 (a HEP flood drops there, before
// sipdbg reads anything, and that must not be silent).
func udpDrops(addr net.Addr) (uint64, bool) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, false
	}
	port := fmt.Sprintf(":%04X", ua.Port) // local_address is HEX_IP:HEX_PORT
	var total uint64
	found := false
	for _, file := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := bytes.Fields(sc.Bytes())
			// sl local_address rem_address st … inode ref pointer drops
			if len(fields) < 13 || !bytes.HasSuffix(fields[1], []byte(port)) {
				continue
			}
			if n, err := strconv.ParseUint(string(fields[len(fields)-1]), 10, 64); err == nil {
				total += n
				found = true
			}
		}
		f.Close()
	}
	return total, found
}
