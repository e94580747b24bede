use std::io::IsTerminal;

fn main() {
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let code = copydesk::cli::run(
        std::env::args_os().collect(),
        &mut std::io::stdin().lock(),
        &mut stdout.lock(),
        &mut std::io::stderr().lock(),
        is_terminal,
    );
    std::process::exit(code);
}
