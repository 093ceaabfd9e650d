package capture

import "github.com/gopacket/gopacket/layers"

// LiveLinkType is the link type of live frames (network layer, as
// AF_PACKET's SOCK_DGRAM delivers them), for filters and files.
const LiveLinkType = layers.LinkTypeRaw
