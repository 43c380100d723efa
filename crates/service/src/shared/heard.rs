//! What lets a replica's memory forget at once what the store's change notices say changed: the notices are taken in
//! by whoever looks next, before it looks, so none is missed and none waits for a task to run.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast::{Receiver, error::TryRecvError};

/// One subscription to a kind of notice, shared by the clones of [`Core`](crate::Core).
pub(crate) struct Heard<N> {
    inner: Arc<Mutex<Subscription<N>>>,
}

struct Subscription<N> {
    receiver: Option<Receiver<N>>,
    count: u64,
}

impl<N> Clone for Heard<N> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<N> Default for Heard<N> {
    fn default() -> Self {
        Self {
            inner: Arc::new(Mutex::new(Subscription {
                receiver: None,
                count: 0,
            })),
        }
    }
}

impl<N: Clone> Heard<N> {
    /// Takes in the notices that came since the last call, handing each to `forget`, or `None` when some were missed
    /// (they came faster than taken in): then anything may have changed. The first call subscribes with `subscribe`,
    /// which must be before anything is remembered. Returns how many notices were ever heard: something read from the
    /// store between two calls that return the same count was not changed by a notice meanwhile.
    pub(crate) fn hear(
        &self,
        subscribe: impl FnOnce() -> Receiver<N>,
        mut forget: impl FnMut(Option<N>),
    ) -> u64 {
        let mut subscription = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Subscription { receiver, count } = &mut *subscription;
        let receiver = receiver.get_or_insert_with(subscribe);
        loop {
            match receiver.try_recv() {
                Ok(notice) => forget(Some(notice)),
                Err(TryRecvError::Lagged(_)) => forget(None),
                Err(TryRecvError::Empty | TryRecvError::Closed) => return *count,
            }
            *count += 1;
        }
    }
}
