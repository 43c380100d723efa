//! The working memory of Argon2 hashes: at most one slot per allowed concurrent hash, each lent with a pooled,
//! wiped buffer, so memory for hashing stays at slots × the configured cost.

use std::{
    hint::black_box,
    sync::{Condvar, Mutex, PoisonError},
};

use argon2::Block;

/// Argon2 working memory for at most `concurrency` hashes at once.
///
/// A hash takes a slot, waiting on a condition variable while all are busy, and a buffer: an idle pooled one, or a
/// new one while fewer than `concurrency` exist. Pooled buffers have the configured size and are kept for reuse, so
/// glibc's per-thread arenas never pile up freed 19 MiB buffers. A stored hash that needs more memory than that
/// (an older, higher cost) gets a temporary buffer of its own size, freed afterwards; one that needs less uses the
/// front of a pooled buffer.
pub(super) struct MemoryPool {
    /// Blocks in a pooled buffer: what the configured parameters need.
    pub(super) pooled_blocks: usize,
    /// How many hashes may run at once, and so how many pooled buffers may ever exist.
    pub(super) concurrency: usize,
    pub(super) state: Mutex<PoolState>,
    /// Signalled each time a hash finishes and frees its slot.
    slot_freed: Condvar,
}

#[derive(Default)]
pub(super) struct PoolState {
    /// Hashes running now; never more than `concurrency`.
    pub(super) running: usize,
    /// Pooled buffers not lent out, wiped.
    pub(super) idle: Vec<Vec<Block>>,
    /// Pooled buffers that exist, idle or lent out: never more than `concurrency`, since one is allocated only when
    /// every existing one is lent to a running hash.
    #[cfg(test)]
    pub(super) allocated: usize,
    /// The most hashes that ever ran at once.
    #[cfg(test)]
    pub(super) peak_running: usize,
}

impl MemoryPool {
    pub(super) fn new(pooled_blocks: usize, concurrency: usize) -> Self {
        Self {
            pooled_blocks,
            concurrency: concurrency.max(1),
            state: Mutex::new(PoolState::default()),
            slot_freed: Condvar::new(),
        }
    }

    /// Waits for a free slot and lends `blocks` blocks of working memory until the lease is dropped.
    pub(super) fn lend(&self, blocks: usize) -> Lease<'_> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = self
            .slot_freed
            .wait_while(state, |state| state.running >= self.concurrency)
            .unwrap_or_else(PoisonError::into_inner);
        state.running += 1;
        let pooled = blocks <= self.pooled_blocks;
        let reused = if pooled { state.idle.pop() } else { None };
        #[cfg(test)]
        {
            state.peak_running = state.peak_running.max(state.running);
            state.allocated += usize::from(pooled && reused.is_none());
        }
        drop(state);
        let buffer = reused.unwrap_or_else(|| {
            let size = if pooled { self.pooled_blocks } else { blocks };
            vec![Block::new(); size]
        });
        Lease {
            pool: self,
            buffer,
            used: blocks,
            pooled,
        }
    }
}

impl std::fmt::Debug for MemoryPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryPool")
            .field("pooled_blocks", &self.pooled_blocks)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// A hashing slot and its working memory; dropping it wipes the memory and frees the slot.
pub(super) struct Lease<'a> {
    pool: &'a MemoryPool,
    buffer: Vec<Block>,
    /// Blocks this hash uses, from the front of `buffer`.
    used: usize,
    /// Whether `buffer` goes back to the pool (otherwise it is freed).
    pooled: bool,
}

impl Lease<'_> {
    pub(super) fn blocks_mut(&mut self) -> &mut [Block] {
        &mut self.buffer[..self.used]
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // Left in memory, the blocks of a cheap hash (one pass) would let a guessed password be checked without
        // redoing Argon2's work. Wiping costs about 4% of a hash.
        self.buffer[..self.used].fill(Block::new());
        let buffer = black_box(std::mem::take(&mut self.buffer));
        // A temporary buffer is freed here, before its slot is.
        let returned = self.pooled.then_some(buffer);
        let mut state = self
            .pool
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.running -= 1;
        state.idle.extend(returned);
        drop(state);
        self.pool.slot_freed.notify_one();
    }
}
