//! `denglu dev`'s console sign-in: the development server opens the console signed in as its owner `dev`, made and
//! set up the first time (a random password nobody is told, an authenticator nobody holds). No route of the server
//! calls this; only `denglu dev` mounts the link that does.

use denglu_crypto::{TotpSecret, random_token};
use denglu_domain::{AdminScope, OperatorName, Requester};
use serde_json::json;

use crate::{Core, Operator, ServiceError, ServiceResult, SignedIn, admin::Admin};

/// The development server's owner.
const DEV_OWNER: &str = "dev";

impl Core {
    /// A session for the development owner `dev`, made and set up first when it is missing or was reset. Written to
    /// the audit log as a sign-in with `detail.dev`.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_dev_owner(&self, from: Requester) -> ServiceResult<SignedIn> {
        let name = OperatorName::parse(DEV_OWNER)?;
        let found = self.store.operators().operator_by_name(&name).await?;
        let operator = match found {
            Some(operator) if operator.is_set_up() => operator,
            _ => {
                self.set_up_dev_owner(found.is_some(), &from).await?;
                self.store
                    .operators()
                    .operator_by_name(&name)
                    .await?
                    .ok_or_else(|| ServiceError::Internal("the dev owner vanished".to_owned()))?
            }
        };
        let (secret, session) = self.begin_operator_session(&operator).await?;
        self.record_operator_event(
            &name,
            "operator.sign_in",
            None,
            &from,
            Some(json!({"dev": true})),
        )
        .await;
        Ok(SignedIn {
            secret,
            session,
            operator,
        })
    }

    /// Makes (or resets) `dev` as an owner and completes its setup as the setup page would.
    async fn set_up_dev_owner(&self, exists: bool, from: &Requester) -> ServiceResult<()> {
        let command_line = Operator::command_line();
        let admin = Admin::new(self, &command_line);
        let created = if exists {
            let operator = admin.operator_named(DEV_OWNER).await?;
            admin.reset_operator(&operator.id).await?
        } else {
            admin
                .create_operator(DEV_OWNER, AdminScope::Deployment)
                .await?
        };
        let offer = self.offer_operator_totp(&created.setup_secret).await?;
        let secret = TotpSecret::from_base32(&offer.secret)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let now = u64::try_from(self.clock.now().timestamp()).unwrap_or(0);
        let code = secret
            .code_at(now)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.complete_operator_setup(&created.setup_secret, random_token(24), &code, from.clone())
            .await?;
        Ok(())
    }
}
