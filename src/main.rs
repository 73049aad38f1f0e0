//! The `jianbao` command; everything is in the library (`jianbao::cli`).

// mimalloc: the build allocates many short-lived strings on two threads; glibc's allocator
// spent a fifth of a 10,000-page build in malloc/free (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    jianbao::cli::main()
}
