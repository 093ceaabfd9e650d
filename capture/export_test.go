package capture

// ProtectReleased makes r's mapped pages unreadable once handed back, and
// hands them back every every bytes (lag behind the reader), so that a
// test crashes if the load touches them again. Call it before reading.
// It panics when r is not a mapped file: the test would prove nothing.
func ProtectReleased(r Source, every, lag int) {
	rd, ok := r.(*Reader)
	if !ok || rd.mapped == nil {
		panic("ProtectReleased: not a mapped capture file")
	}
	rd.mapped.pg = paging{every: every, lag: lag, protect: true}
}
