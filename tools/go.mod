module github.com/sipdbg/sipdbg/tools

go 1.26.8

require (
	github.com/sipdbg/sipdbg v0.0.0
	golang.org/x/image v0.48.0
)

require (
	github.com/gopacket/gopacket v1.7.7 // indirect
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/rtcp v1.2.20 // indirect
	github.com/pion/rtp v1.10.6 // indirect
	github.com/zaf/g711 v1.4.0 // indirect
	golang.org/x/crypto v0.51.0 // indirect
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/sipdbg/sipdbg => ../
