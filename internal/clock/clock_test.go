package clock

import (
	"context"
	"testing"
	"time"
)

func TestFakeSleepEndsWhenAdvanced(t *testing.T) {
	start := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	f := NewFake(start)
	done := make(chan error, 1)
	go func() { done <- f.Sleep(t.Context(), time.Minute) }()
	if !f.WaitSleepers(t.Context(), 1) {
		t.Fatal("no sleeper")
	}
	if next, ok := f.Next(); !ok || !next.Equal(start.Add(time.Minute)) {
		t.Fatalf("Next = %v, %v; want %v", next, ok, start.Add(time.Minute))
	}
	f.Advance(59 * time.Second)
	select {
	case <-done:
		t.Fatal("the sleep ended a second early")
	default:
	}
	f.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := f.Sleepers(); n != 0 {
		t.Fatalf("%d sleepers left", n)
	}
	if got := f.Now(); !got.Equal(start.Add(time.Minute)) {
		t.Fatalf("Now = %v", got)
	}
}

func TestFakeSleepEndsWithContext(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.Sleep(ctx, time.Hour) }()
	f.WaitSleepers(t.Context(), 1)
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if n := f.Sleepers(); n != 0 {
		t.Fatalf("%d sleepers left", n)
	}
}

func TestSystemSleep(t *testing.T) {
	if err := (System{}).Sleep(t.Context(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := (System{}).Sleep(ctx, time.Hour); err == nil {
		t.Fatal("Sleep on a done context returned nil")
	}
}
