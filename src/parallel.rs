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
pub fn map_in_order<T, W>(count: usize, threads: usize, work: W) -> Vec<T>
where
    T: Send,
    W: Fn(usize) -> T + Sync,
{
    let mut out: Vec<T> = Vec::with_capacity(count);
    let _ = ordered_map_within(count, threads, count, &work, |r: T| -> Result<(), ()> {
        out.push(r);
        Ok(())
    });
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
    ordered_map_within(count, threads, threads.max(1) * 2, work, sink)
}

/// `ordered_map` with workers at most `window` items ahead of the sink.
fn ordered_map_within<T, E, W, S>(
    count: usize,
    threads: usize,
    window: usize,
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
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results the sink has taken; workers wait for it to catch up.
    let done = Mutex::new(0usize);
    let progressed = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (work, next, stop, done, progressed) = (&work, &next, &stop, &done, &progressed);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= count {
                        break;
                    }
                    {
                        let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *d + window && !stop.load(Ordering::SeqCst) {
                            d = progressed.wait(d).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if tx.send((i, work(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        for (i, value) in rx.iter() {
            pending.insert(i, value);
            while let Some(v) = pending.remove(&want) {
                want += 1;
                if let Err(e) = sink(v) {
                    result = Err(e);
                    break;
                }
                *done.lock().unwrap_or_else(|e| e.into_inner()) = want;
                progressed.notify_all();
            }
            if result.is_err() {
                break;
            }
        }
        stop.store(true, Ordering::SeqCst);
        progressed.notify_all();
        drop(rx);
        result
    })
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
}
