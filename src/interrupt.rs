//! A request to stop a build early (Ctrl+C, SIGTERM), checked at the
//! points where stopping leaves nothing behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared between whoever asks a build to stop (the CLI's signal handler)
/// and the build; cloning shares it. A stopped build removes its staging
/// folder and returns [`crate::error::Error::Interrupted`].
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Asks the build to stop; returns whether it had been asked before.
    pub fn raise(&self) -> bool {
        self.0.swap(true, Ordering::SeqCst)
    }

    /// Whether the build was asked to stop.
    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Interrupted)` once the build was asked to stop.
    pub fn check(&self) -> Result<(), crate::error::Error> {
        if self.is_raised() { Err(crate::error::Error::Interrupted) } else { Ok(()) }
    }
}
