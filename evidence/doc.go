// Package evidence keeps the ledger of Wine 8.0's conformance checks whose
// subject is a modeled call, and the extractor that finds them in Wine's
// test sources.
//
// # Sites
//
// A site is an ok() of a test file: ok(cond, ...), ok_(__FILE__,
// __LINE__)(cond, ...), or an invocation of a function-like macro of the
// file whose body calls ok. Comments, the contents of string and character
// literals, preprocessor lines and code under #if 0 are not read. A site's
// line is the line of its first token (the line Wine's report names). A
// line-forwarding helper (a function of the file whose checks are
// ok_(__FILE__, line) or an object-like macro standing for it, invoked
// through a macro that passes __LINE__) is not a site itself: each of its
// invocations is one, at the invocation's line, whose subjects are those of
// the helper's forwarded checks. Checks that share a line are one site.
//
// # Subject
//
// The subject of an ok is the first call in its condition that is neither
// bookkeeping (SetLastError, GetLastError, the test framework, string and
// memory helpers, string-structure setup, and any all-capitals macro) nor a
// check. Without one, the extractor walks back through the statements of
// the enclosing function (statements end at ";", "{" and "}" outside
// parentheses), starting with the part of the ok's own statement before
// it, skipping statements that contain a check, and takes the first such
// call of the nearest statement that has one. A statement starting with
// else continues at the statement holding its if, so the excluded branch is
// skipped. The function-pointer p (pNtCreateKey) is dropped from the name.
//
// # Scope
//
// A site is in scope when its subject is a modeled call: a scenario step
// kind that makes a call (ModeledCalls, the names `simrun help steps`
// lists), named as the test spells it or with an A or W suffix, or Sleep,
// WaitForSingleObject and WaitForMultipleObjects for their Ex steps (see
// StepFor). Nt and Zw forms are separate steps.
//
// # Value and todo
//
// The value column summarizes the condition (see Site.Value); the
// condition in the source is authoritative. The todo column is todo_wine or
// todo_wine_if when the ok follows one in its statement or sits in a block
// opened right after one.
//
// # Ledger
//
// The ledger (wine-8.0.ledger, embedded as Ledger) has one line per
// in-scope site, the extractor's columns followed by a status that people
// write: open, "out: <reason>", or the scenario files that encode the line
// and cite it with observed:. `simrun ledger update` rewrites the
// extractor's columns and keeps the statuses.
package evidence
