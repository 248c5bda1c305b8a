package scm

// The outstanding registrations are kept in several lists at once, each an
// index of what one check or one event needs: the requests of a thread (its
// exit), of a service (its state changes), of a service handle and of an
// SCM handle (a second registration, closing the handle). (The requests of
// a buffer, for the reuse check, are indexed apart: Manager.byBuffer.) A registration is linked into each of its lists, so that
// adding and removing one costs the same however many others are pending
// anywhere on the machine, and each list keeps the order the requests were
// made in, which is the order they fire and are reported in.

// chain names one of the lists a registration is linked into.
type chain uint8

// The lists of a registration.
const (
	byThread  chain = iota // the registering thread's requests
	byService              // the requests on any handle of one service
	byHandle               // the requests on one service or SCM handle
	chains
)

// regLinks are a registration's neighbours in one list.
type regLinks struct{ prev, next *registration }

// regList is one list of registrations in the order they were made: a
// circular doubly linked list through the registrations' links of one
// chain, held by its first element.
type regList struct{ head *registration }

// empty reports whether the list holds no registration.
func (l regList) empty() bool { return l.head == nil }

// first returns the oldest registration of the list, or nil.
func (l regList) first() *registration { return l.head }

// pushBack appends r to the list of chain c.
func (l *regList) pushBack(c chain, r *registration) {
	lk := &r.links[c]
	if l.head == nil {
		lk.prev, lk.next = r, r
		l.head = r
		return
	}
	last := l.head.links[c].prev
	lk.prev, lk.next = last, l.head
	last.links[c].next = r
	l.head.links[c].prev = r
}

// remove unlinks r, a member of the list of chain c.
func (l *regList) remove(c chain, r *registration) {
	lk := &r.links[c]
	if lk.next == r {
		l.head = nil
	} else {
		lk.prev.links[c].next = lk.next
		lk.next.links[c].prev = lk.prev
		if l.head == r {
			l.head = lk.next
		}
	}
	lk.prev, lk.next = nil, nil
}

// all yields the registrations of the list of chain c in order. The
// registration being yielded may be removed from the list; no other may,
// and none may be added, until the iteration ends.
func (l *regList) all(c chain) func(yield func(*registration) bool) {
	return func(yield func(*registration) bool) {
		if l.head == nil {
			return
		}
		last := l.head.links[c].prev
		for r := l.head; ; {
			next := r.links[c].next
			if !yield(r) || r == last {
				return
			}
			r = next
		}
	}
}
