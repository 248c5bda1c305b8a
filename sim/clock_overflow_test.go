package sim

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestClockNeverWraps: Time.Add stops at EndOfTime, and so does Advance.
func TestClockNeverWraps(t *testing.T) {
	tests := []struct {
		t    Time
		d    time.Duration
		want Time
		over bool
	}{
		{0, time.Second, Time(time.Second), false},
		{EndOfTime - 1, 1, EndOfTime, false},
		{EndOfTime - 1, 2, EndOfTime, true},
		{Time(2562047 * time.Hour), 2562047 * time.Hour, EndOfTime, true},
		{EndOfTime, math.MaxInt64, EndOfTime, true},
		{EndOfTime, 0, EndOfTime, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.over, Overflows(tc.t, tc.d), "%d+%d", tc.t, tc.d)
		assert.Equal(t, tc.want, tc.t.Add(tc.d), "%d+%d", tc.t, tc.d)
	}
	m := MustNewMachine(Options{})
	m.Advance(2562047 * time.Hour)
	m.Advance(2562047 * time.Hour)
	assert.Equal(t, EndOfTime, m.Now())
}
