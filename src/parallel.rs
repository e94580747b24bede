//! Ordered parallel map: items are processed on several threads, results are
//! handed to a sink on the calling thread in input order. Workers may run at
//! most `window` items ahead of the sink, so memory is bounded by the items in
//! flight (for copydesk: a few files per thread), not by the whole tree.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Default worker count: every core the process may use.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Run `work(i)` for every `i < count` on `threads` threads and return the
/// results in order of `i`. All results are held at once (for the pieces of
/// one document, not for a tree of files), so no thread ever waits for a
/// slow item ahead of it: each takes the next item as soon as it is free.
///
/// The calling thread only collects. For a few dozen pieces of work (the
/// rules on one story) that is faster than taking a share: a working caller
/// and a worker pass a lock inside libc (most likely malloc's) back and
/// forth.
pub fn map_in_order<T, W>(count: usize, threads: usize, work: W) -> Vec<T>
where
    T: Send,
    W: Fn(usize) -> T + Sync,
{
    let mut out: Vec<T> = Vec::with_capacity(count);
    let _ = ordered_map_within(
        count,
        threads,
        count,
        false,
        &work,
        |r: T| -> Result<(), ()> {
            out.push(r);
            Ok(())
        },
    );
    out
}

/// Run `work(i)` for every `i < count` on `threads` threads and call `sink`
/// with the results in order of `i`. Stops early (and returns the error) when
/// the sink fails.
pub fn ordered_map<T, E, W, S>(count: usize, threads: usize, work: W, sink: S) -> Result<(), E>
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    S: FnMut(T) -> Result<(), E>,
{
    ordered_map_within(count, threads, threads.max(1) * 2, true, work, sink)
}

/// `ordered_map` with workers at most `window` items ahead of the sink.
///
/// With `caller_works`, the calling thread is one of the `threads`: between
/// handing results to the sink it takes items itself, and it blocks only
/// when it has nothing to do. Results travel over a channel and wake nobody
/// unless the caller is blocked, and a worker that runs too far ahead is
/// woken only if it went to sleep. On a tree of small stories, a separate
/// collecting thread woken for every file would add context switches to
/// every file.
fn ordered_map_within<T, E, W, S>(
    count: usize,
    threads: usize,
    window: usize,
    caller_works: bool,
    work: W,
    mut sink: S,
) -> Result<(), E>
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    S: FnMut(T) -> Result<(), E>,
{
    let threads = threads.max(1).min(count.max(1));
    if threads == 1 {
        for i in 0..count {
            sink(work(i))?;
        }
        return Ok(());
    }
    let window = window.max(threads);
    let shared = Shared {
        next: AtomicUsize::new(0),
        taken: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        asleep: AtomicUsize::new(0),
        lock: Mutex::new(()),
        woken: Condvar::new(),
    };
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        for _ in usize::from(caller_works)..threads {
            let tx = tx.clone();
            let (work, shared) = (&work, &shared);
            scope.spawn(move || {
                let _guard = StopOnPanic(shared);
                loop {
                    let i = shared.next.fetch_add(1, Ordering::SeqCst);
                    if i >= count || !shared.wait_for_room(i, window) {
                        break;
                    }
                    if tx.send((i, work(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let _guard = StopOnPanic(&shared);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        'run: while want < count {
            while let Ok((i, value)) = rx.try_recv() {
                pending.insert(i, value);
            }
            let before = want;
            while let Some(v) = pending.remove(&want) {
                want += 1;
                if let Err(e) = sink(v) {
                    result = Err(e);
                    break 'run;
                }
            }
            if want != before {
                shared.advance(want);
                continue;
            }
            // Nothing to hand on: take an item within the window, or wait.
            if caller_works && let Some(i) = shared.claim(count, want + window) {
                pending.insert(i, work(i));
                continue;
            }
            match rx.recv() {
                Ok((i, value)) => {
                    pending.insert(i, value);
                }
                Err(_) => break,
            }
        }
        shared.halt();
        drop(rx);
        result
    })
}

/// What the threads of one `ordered_map_within` share.
struct Shared {
    /// The next item nobody has taken.
    next: AtomicUsize,
    /// How many results the sink has taken.
    taken: AtomicUsize,
    stop: AtomicBool,
    /// Workers asleep until the sink catches up (or the run stops).
    asleep: AtomicUsize,
    lock: Mutex<()>,
    woken: Condvar,
}

impl Shared {
    /// Wait until item `i` is within `window` of the sink; false when the run
    /// stopped meanwhile.
    fn wait_for_room(&self, i: usize, window: usize) -> bool {
        let room = |s: &Shared| i < s.taken.load(Ordering::SeqCst) + window;
        if !room(self) && !self.stop.load(Ordering::SeqCst) {
            let mut g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            // Counted before the last look, so `advance` cannot miss it.
            self.asleep.fetch_add(1, Ordering::SeqCst);
            while !room(self) && !self.stop.load(Ordering::SeqCst) {
                g = self.woken.wait(g).unwrap_or_else(|e| e.into_inner());
            }
            self.asleep.fetch_sub(1, Ordering::SeqCst);
        }
        !self.stop.load(Ordering::SeqCst)
    }

    /// The sink has taken `taken` results: wake any worker waiting for room.
    fn advance(&self, taken: usize) {
        self.taken.store(taken, Ordering::SeqCst);
        if self.asleep.load(Ordering::SeqCst) > 0 {
            let _g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.woken.notify_all();
        }
    }

    /// Take the next item if it is below `limit` (and `count`).
    fn claim(&self, count: usize, limit: usize) -> Option<usize> {
        let mut n = self.next.load(Ordering::SeqCst);
        loop {
            if n >= count.min(limit) {
                return None;
            }
            match self
                .next
                .compare_exchange(n, n + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Some(n),
                Err(now) => n = now,
            }
        }
    }

    /// Stop the workers and wake those asleep.
    fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let _g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.woken.notify_all();
    }
}

/// Stops the run when its thread unwinds, so no other thread waits forever
/// for a result that will not come.
struct StopOnPanic<'a>(&'a Shared);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.halt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order() {
        let mut seen = Vec::new();
        ordered_map::<_, (), _, _>(
            200,
            4,
            |i| {
                // Uneven work so threads finish out of order.
                std::thread::sleep(std::time::Duration::from_micros(
                    ((i * 7919) % 13) as u64 * 50,
                ));
                i * 2
            },
            |v| {
                seen.push(v);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let mut n = 0;
        let r = ordered_map(
            10_000,
            3,
            |i| i,
            |_| {
                n += 1;
                if n == 5 { Err("closed") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("closed"));
        assert_eq!(n, 5);
    }

    #[test]
    fn workers_stay_within_the_window() {
        // `ordered_map` lets work run at most twice the thread count ahead
        // of the sink.
        let sunk = AtomicUsize::new(0);
        let worst = AtomicUsize::new(0);
        ordered_map::<_, (), _, _>(
            3_000,
            3,
            |i| {
                let ahead = i.saturating_sub(sunk.load(Ordering::SeqCst));
                worst.fetch_max(ahead, Ordering::SeqCst);
                if i % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                i
            },
            |_| {
                sunk.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        let worst = worst.into_inner();
        assert!(worst < 6, "work ran {worst} items ahead of the sink");
        assert!(worst > 0);
    }

    #[test]
    fn a_panic_in_any_thread_ends_the_run_without_hanging() {
        // The first item at or after `from` taken by a worker (or by the
        // calling thread) panics; the others must not wait for its result.
        // `map_in_order` keeps the caller out of the work.
        let caller = std::thread::current().id();
        for (ordered, on_caller) in [(true, false), (true, true), (false, false)] {
            for from in [0, 1, 7, 500] {
                let fired = AtomicBool::new(false);
                let work = |i: usize| {
                    let here = std::thread::current().id() == caller;
                    if i >= from && here == on_caller && !fired.swap(true, Ordering::SeqCst) {
                        panic!("item {i} fails");
                    }
                    // The threads that are not to fail are slow, so that the
                    // one that is takes its share of the items: a slow
                    // caller lets the workers start and run ahead to the
                    // window's end, and slow workers leave items to the
                    // caller. (With only the caller slow, the workers can
                    // take every item from 500 on, on busy cores, and leave
                    // the caller none to fail on.)
                    if here != on_caller {
                        std::thread::sleep(std::time::Duration::from_micros(50));
                    }
                    i
                };
                let r = std::panic::catch_unwind(|| {
                    if ordered {
                        ordered_map::<_, (), _, _>(1_000, 3, work, |_| Ok(()))
                    } else {
                        map_in_order(1_000, 3, work);
                        Ok(())
                    }
                });
                assert!(
                    fired.into_inner(),
                    "no item {from} or later was taken there"
                );
                assert!(r.is_err(), "the panic from item {from} was lost");
            }
        }
    }

    #[test]
    fn map_in_order_keeps_order() {
        let out = map_in_order(500, 2, |i| {
            if i % 5 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            i * 3
        });
        assert_eq!(out, (0..500).map(|i| i * 3).collect::<Vec<_>>());
    }
}
