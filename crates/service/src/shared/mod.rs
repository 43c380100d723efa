//! What more than one flow needs: pool lookups, tokens and sessions (and what a replica remembers of token checks), callers, the audit of login attempts, WeChat
//! identities, the WeChat app serving a login, verified phones, the rule for free text, limits and the blocking pool;
//! and [`flow_view!`], which makes a flow's view of the [`Core`](crate::Core).

pub(crate) mod blocking;
pub(crate) mod callers;
pub(crate) mod heard;
pub(crate) mod housekeeping;
pub(crate) mod keyed_limit;
pub(crate) mod login_audit;
pub(crate) mod login_limits;
pub(crate) mod phones;
pub(crate) mod pool_cache;
pub(crate) mod serving_app;
pub(crate) mod sessions;
pub(crate) mod text;
pub(crate) mod token_checks;
pub(crate) mod wechat_tokens;
pub(crate) mod wechat_users;

/// Declares a flow: a borrowed view of the [`Core`](crate::Core) whose methods are that flow's rules. The view
/// reaches the core's state and shared rules through `Deref`; it reaches another flow only by naming it
/// (`QrLogin::new(self.core)`), so the dependencies between flows show as imports.
macro_rules! flow_view {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            core: &'a crate::Core,
        }

        impl<'a> $name<'a> {
            /// The flow over `core`.
            pub(crate) fn new(core: &'a crate::Core) -> Self {
                Self { core }
            }
        }

        impl std::ops::Deref for $name<'_> {
            type Target = crate::Core;

            fn deref(&self) -> &crate::Core {
                self.core
            }
        }
    };
}

pub(crate) use flow_view;
