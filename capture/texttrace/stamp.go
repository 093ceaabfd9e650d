package texttrace

import "time"

// stampKind says how much of a point in time a trace wrote down.
type stampKind uint8

const (
	noStamp       stampKind = iota
	fullStamp               // date and time
	monthDayStamp           // month, day and time, no year (Asterisk's default, syslog)
	todStamp                // time of day only (FreeSWITCH, baresip)
)

// stamp is a possibly partial timestamp, completed by resolve once the
// whole file has been read.
type stamp struct {
	kind  stampKind
	year  int
	month time.Month
	day   int
	tod   time.Duration // since midnight
	zone  int           // offset east of UTC in seconds, for ISO stamps that carry one
}

// full returns the point in time of a fullStamp.
func (s stamp) full() time.Time {
	d := time.Date(s.year, s.month, s.day, 0, 0, 0, 0, time.UTC)
	return d.Add(s.tod - time.Duration(s.zone)*time.Second)
}

// resolve completes s with the missing parts taken from ref, the nearest
// full timestamp of the file (zero when the file has none: 1970-01-01 is
// used then, the epoch making it plain that the date is unknown).
func (s stamp) resolve(ref time.Time) time.Time {
	if ref.IsZero() {
		ref = time.Unix(0, 0).UTC()
	}
	switch s.kind {
	case fullStamp:
		return s.full()
	case monthDayStamp:
		t := time.Date(ref.Year(), s.month, s.day, 0, 0, 0, 0, time.UTC).Add(s.tod)
		if t.Before(ref.AddDate(0, -6, 0)) {
			t = t.AddDate(1, 0, 0) // the log went on into the next year
		}
		return t
	case todStamp:
		y, m, d := ref.Date()
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(s.tod)
		if t.Before(ref.Add(-12 * time.Hour)) {
			t = t.AddDate(0, 0, 1) // the trace crossed midnight after ref
		}
		return t
	}
	return time.Time{}
}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// scanStamp reads a timestamp at the start of b: "2006-01-02 15:04:05.999"
// (also with "/" or "T", and a zone), "Jan _2 15:04:05.999", or
// "15:04:05.999". It returns the stamp and its length in bytes.
func scanStamp(b []byte) (stamp, int) {
	if s, n := scanDate(b); n > 0 {
		return s, n
	}
	if s, n := scanMonthDay(b); n > 0 {
		return s, n
	}
	if tod, n := scanClock(b); n > 0 {
		return stamp{kind: todStamp, tod: tod}, n
	}
	return stamp{}, 0
}

func scanDate(b []byte) (stamp, int) {
	if len(b) < 11 || (b[4] != '-' && b[4] != '/') || b[7] != b[4] || (b[10] != ' ' && b[10] != 'T') {
		return stamp{}, 0
	}
	y, ok1 := atoi(b[0:4])
	m, ok2 := atoi(b[5:7])
	d, ok3 := atoi(b[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return stamp{}, 0
	}
	tod, n := scanClock(b[11:])
	if n == 0 {
		return stamp{}, 0
	}
	s := stamp{kind: fullStamp, year: y, month: time.Month(m), day: d, tod: tod}
	z, zn := scanZone(b[11+n:])
	s.zone = z
	return s, 11 + n + zn
}

// scanZone reads "Z", "+hh:mm" or "+hhmm".
func scanZone(b []byte) (int, int) {
	if len(b) > 0 && b[0] == 'Z' {
		return 0, 1
	}
	if len(b) < 5 || (b[0] != '+' && b[0] != '-') {
		return 0, 0
	}
	n, rest := 3, b[3:]
	if rest[0] == ':' {
		n, rest = 4, rest[1:]
	}
	h, ok1 := atoi(b[1:3])
	if len(rest) < 2 {
		return 0, 0
	}
	m, ok2 := atoi(rest[:2])
	if !ok1 || !ok2 || h > 14 || m > 59 {
		return 0, 0
	}
	off := h*3600 + m*60
	if b[0] == '-' {
		off = -off
	}
	return off, n + 2
}

// scanMonthDay reads "Nov 28 09:49:26" or "Nov  8 09:49:26" (strftime %e).
func scanMonthDay(b []byte) (stamp, int) {
	if len(b) < 7 || b[3] != ' ' {
		return stamp{}, 0
	}
	m := 0
	for i, name := range monthNames {
		if string(b[:3]) == name {
			m = i + 1
		}
	}
	if m == 0 {
		return stamp{}, 0
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	j := i
	for j < len(b) && j < i+2 && isDigit(b[j]) {
		j++
	}
	d, ok := atoi(b[i:j])
	if !ok || d < 1 || d > 31 || j >= len(b) || b[j] != ' ' {
		return stamp{}, 0
	}
	tod, n := scanClock(b[j+1:])
	if n == 0 {
		return stamp{}, 0
	}
	return stamp{kind: monthDayStamp, month: time.Month(m), day: d, tod: tod}, j + 1 + n
}

// scanClock reads "15:04:05" with an optional fraction of up to nine
// digits after "." or ",".
func scanClock(b []byte) (time.Duration, int) {
	if len(b) < 8 || b[2] != ':' || b[5] != ':' {
		return 0, 0
	}
	h, ok1 := atoi(b[0:2])
	m, ok2 := atoi(b[3:5])
	s, ok3 := atoi(b[6:8])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || s > 60 {
		return 0, 0
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	n := 8
	if n < len(b) && (b[n] == '.' || b[n] == ',') {
		frac, k := scanFraction(b[n+1:])
		if k > 0 {
			d += frac
			n += 1 + k
		}
	}
	return d, n
}

func scanFraction(b []byte) (time.Duration, int) {
	var ns, scale int64 = 0, int64(time.Second)
	k := 0
	for k < len(b) && isDigit(b[k]) {
		if k < 9 {
			scale /= 10
			ns += int64(b[k]-'0') * scale
		}
		k++
	}
	return time.Duration(ns), k
}

// atoi parses a short run of decimal digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
