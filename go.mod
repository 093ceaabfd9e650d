module github.com/sipdbg/sipdbg

go 1.26.8

require (
	github.com/emiago/sipgo v1.7.3
	github.com/gopacket/gopacket v1.7.7
	golang.org/x/term v0.48.0
)

require (
	github.com/gobwas/httphead v0.1.0 // indirect
	github.com/gobwas/pool v0.2.1 // indirect
	github.com/gobwas/ws v1.3.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sync v0.16.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
