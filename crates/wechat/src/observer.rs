//! [`CallObserver`]: what the client tells its owner about every HTTP call it makes to WeChat (for metrics).

use std::time::Duration;

use crate::WechatError;

/// Told of every HTTP call to WeChat once its answer is read (or the call failed): retries and token refreshes are
/// calls of their own. Must be quick: it runs on the caller's task.
pub trait CallObserver: Send + Sync {
    /// `api` is the called path (`/sns/jscode2session`), a constant of this crate; `outcome` is `Err` when WeChat
    /// answered with an `errcode` or the call failed; `elapsed` is the time from sending to the last byte read.
    fn observe(&self, api: &'static str, outcome: Result<(), &WechatError>, elapsed: Duration);
}
