package analysis

// statusMeaning says, for the refusals met most often, what the status
// means and where to look, so that a call refused 486 is not explained
// with a paragraph about 404s and SUBSCRIBE. The meanings are RFC 3261
// §21's unless another RFC is named; "" for a status not listed, which
// gets the class's general words.
func statusMeaning(status uint16) string {
	switch status {
	case 403:
		return "403 Forbidden (§21.4.4): the element understood the request and will not serve it; authenticating again does not help. " +
			"Look at the element's policy for this caller: the account disabled, the number or destination not allowed, an " +
			"address or user agent blocked."
	case 404:
		return "404 Not Found (§21.4.5): the user in the Request-URI does not exist in the domain the element serves. Check the " +
			"number or user dialled, and the element's dial plan or user table."
	case 405:
		return "405 Method Not Allowed (§21.4.6): the element knows the address but does not take this method there; its " +
			"Allow header lists the ones it takes."
	case 410:
		return "410 Gone (§21.4.10): the user existed and is no longer reachable there, with no forwarding address."
	case 415, 420:
		return "The element does not support what the request needs: a body type (415, §21.4.13; see Accept) or an extension " +
			"named in Require (420, §21.4.15; see Unsupported). Turn the feature off on the side that asks for it."
	case 480:
		return "480 Temporarily Unavailable (§21.4.18): the callee exists but cannot be reached now: not registered, do not " +
			"disturb, or not answering on any device. Check that the callee's phone is registered (its REGISTER and 200)."
	case 484:
		return "484 Address Incomplete (§21.4.22): the number dialled is too short for the dial plan; the caller should send more digits."
	case 486:
		return "486 Busy Here (§21.4.24): the callee's device refused the call: busy, or the user rejected it. That is the " +
			"callee's answer, not a fault of the network; forwarding on busy or voicemail would be set on the callee's side."
	case 500:
		return "500 Server Internal Error (§21.5.1): the element failed while handling the request; its log says why."
	case 501:
		return "501 Not Implemented (§21.5.2): the element does not implement this method at all."
	case 502:
		return "502 Bad Gateway (§21.5.3): the element, acting as a gateway or proxy, got an invalid response from the next " +
			"element; look further on."
	case 503:
		return "503 Service Unavailable (§21.5.4): the element is overloaded or has no route (a trunk or gateway down); a " +
			"Retry-After header says when to try again."
	case 504:
		return "504 Server Time-out (§21.5.5): the element got no timely answer from the next element it tried (a server " +
			"further on, or DNS); look further on."
	case 600:
		return "600 Busy Everywhere (§21.6.1): the callee is busy and says no other device will take the call."
	case 603:
		return "603 Decline (§21.6.2): the callee declined the call and does not want it tried elsewhere."
	case 604:
		return "604 Does Not Exist Anywhere (§21.6.3): the callee's user does not exist anywhere."
	}
	return ""
}
