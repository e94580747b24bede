use std::io::IsTerminal;

fn main() {
    tune_allocator();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let terminals = copydesk::cli::Terminals {
        stdout: stdout.is_terminal(),
        // A progress bar needs the terminal's width; a "dumb" terminal
        // cannot move the cursor to redraw one.
        stderr_width: (stderr.is_terminal()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb"))
        .then(|| console::Term::stderr().size().1),
        ..copydesk::cli::Terminals::stdout_only(false)
    };
    // The handles are passed unlocked: `copydesk lsp` reads and writes them
    // from threads of its own.
    let code = copydesk::cli::run_on(
        std::env::args_os().collect(),
        &mut std::io::stdin(),
        &mut &stdout,
        &mut &stderr,
        terminals,
    );
    std::process::exit(code);
}

/// Keep glibc's malloc from holding on to freed memory of a large file.
///
/// By default glibc raises its mmap threshold every time a large block is
/// freed, up to 32 MB. Checking one large file frees many such blocks (a
/// thread's piece of the document model, a list grown by doubling), and
/// from then on blocks of that size come from the heaps, where they stay
/// resident after they are freed and fragment what is left. Fixing the
/// threshold at its default of 128 KiB keeps every large block mapped on
/// its own and given back when freed, which lowers the peak resident
/// memory of a large file and costs a tree of small stories nothing
/// (docs/performance.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: `mallopt` only sets a parameter of the allocator, and it is
    // called before any other thread exists. A failure (return 0) leaves
    // the default, which is harmless.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
