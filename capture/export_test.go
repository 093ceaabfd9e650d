package capture

// ProtectReleased makes mapped pages unreadable once handed back, and
// hands them back every every bytes (lag behind the reader), so that a
// test crashes if the load touches them again.
func ProtectReleased(every, lag int) func() {
	oldEvery, oldLag := releaseEvery, releaseLag
	releaseEvery, releaseLag, protectReleased = every, lag, true
	return func() { releaseEvery, releaseLag, protectReleased = oldEvery, oldLag, false }
}
