package analysis

import "slices"

// Repeated attempts collapse into one finding with a count: a server
// that re-challenges sixty times is one fact, not sixty findings. Two
// findings repeat each other when they have the same code, severity and
// summary (the summary names the realm, status and header concerned).

// repeats reports whether any two findings of out repeat each other.
func repeats(out []Finding) bool {
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if same(&out[i], &out[j]) {
				return true
			}
		}
		if i >= 64 {
			return true // long lists are collapsed whatever they hold: cheaper than comparing them all
		}
	}
	return false
}

func same(a, b *Finding) bool {
	return a.Code == b.Code && a.Severity == b.Severity && a.Summary == b.Summary && len(a.Steps) == 0 && len(b.Steps) == 0
}

// collapse returns the findings of out in the given order, each
// repeated one merged into its first occurrence: the count says how many
// times it happened, and the messages are all of theirs, in order.
func collapse(out []Finding, order []orderKey) []Finding {
	res := make([]Finding, 0, len(order))
	// times counts, for each finding of res, the occurrences that are not
	// a proxy's copy of the client's hop (Finding.hop).
	times := make([]int, 0, len(order))
	var index map[[3]string]int // for long lists: a scan of res each time would be quadratic
	if len(order) > 64 {
		index = make(map[[3]string]int, len(order))
	}
	for _, o := range order {
		f := out[o.i]
		j := -1
		if index != nil {
			if k, ok := index[[3]string{string(f.Code), f.Severity.String(), f.Summary}]; ok && same(&res[k], &f) {
				j = k
			}
		} else {
			j = slices.IndexFunc(res, func(g Finding) bool { return same(&g, &f) })
		}
		if j >= 0 {
			g := &res[j]
			if !f.hop {
				times[j]++
			}
			g.Messages = appendNew(g.Messages, f.Messages)
			continue
		}
		f.Messages = append([]int32(nil), f.Messages...)
		if index != nil {
			index[[3]string{string(f.Code), f.Severity.String(), f.Summary}] = len(res)
		}
		res = append(res, f)
		times = append(times, 0)
		if !f.hop {
			times[len(times)-1] = 1
		}
	}
	for i := range res {
		if times[i] > 1 {
			res[i].Count = times[i]
			res[i].Summary += " (" + itoa(times[i]) + " times)"
		}
	}
	return res
}

// appendNew merges the messages of add into ms, both in order: the
// result is in order, each message once.
func appendNew(ms, add []int32) []int32 {
	for _, m := range add {
		i, found := slices.BinarySearch(ms, m)
		if !found {
			ms = slices.Insert(ms, i, m)
		}
	}
	return ms
}
