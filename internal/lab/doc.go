// Package lab holds the end-to-end tests of the SIP lab: real Kamailio,
// SIPp, baresip and the probe started in network namespaces, their
// traffic captured by tcpdump, counted by tshark, then read by sipdbg.
// They need root and the Debian packages .ci/run installs, so they run
// only when SIPDBG_LAB=1. It has no code of its own and imports nothing
// outside its tests; nothing imports it.
package lab
