//! Operator accounts, managed by owners: making one (with a one-time setup link; the first operator of a deployment
//! is its owner), listing them, resetting one who lost their password or authenticator (a new setup link), deleting
//! one (never the last owner).

use chrono::TimeDelta;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{AdminScope, OperatorAccount, OperatorId, OperatorName, SetupLink};
use denglu_store::StoreError;
use serde_json::json;

use crate::{
    ServiceError, ServiceResult,
    admin::{Admin, scope_detail},
};

/// How long a setup link works.
const SETUP_LINK_LIFETIME: TimeDelta = TimeDelta::days(3);

/// A new operator, or one reset, and the secret of their setup link, shown this once.
#[derive(Debug)]
pub struct CreatedOperator {
    /// The operator.
    pub operator: OperatorAccount,
    /// The setup link's secret.
    pub setup_secret: String,
    /// The setup link's page: the console's setup page with the secret in its fragment.
    pub setup_url: String,
}

/// An operator as the audit log shows them: no secrets.
fn summary(operator: &OperatorAccount) -> serde_json::Value {
    json!({ "id": operator.id.as_str(), "name": operator.name.as_str(), "pools": scope_detail(&operator.scope) })
}

impl Admin<'_> {
    /// Makes an operator (owners only), with a setup link that works for three days. The first operator of the
    /// deployment must be an owner. The pools of a pool admin must exist.
    #[tracing::instrument(skip_all)]
    pub async fn create_operator(
        &self,
        name: &str,
        scope: AdminScope,
    ) -> ServiceResult<CreatedOperator> {
        self.operator.owner()?;
        self.operator.writer()?;
        let name = OperatorName::parse(name)?;
        match &scope {
            AdminScope::Deployment => {}
            AdminScope::Pools(pools) => {
                if self.store.operators().operators().await?.is_empty() {
                    return Err(ServiceError::Rejected(
                        "the first operator is the deployment's owner: name no pools".to_owned(),
                    ));
                }
                if pools.is_empty() {
                    return Err(ServiceError::Rejected(
                        "name at least one pool, or make an owner".to_owned(),
                    ));
                }
                for pool in pools {
                    self.pool(pool).await?;
                }
            }
        }
        let now = self.clock.now();
        let (secret, link) = self.new_setup_link();
        let operator = OperatorAccount {
            id: OperatorId::generate(now),
            name,
            scope,
            password_hash: None,
            totp: None,
            pending_totp: None,
            totp_last_step: 0,
            setup: Some(link),
            created_at: now,
        };
        match self.store.operators().insert_operator(&operator).await {
            Err(StoreError::Conflict { .. }) => {
                return Err(ServiceError::Rejected(format!(
                    "there is an operator called {} already",
                    operator.name
                )));
            }
            other => other?,
        }
        self.record(
            "operator.create",
            None,
            None,
            Some(json!({ "after": summary(&operator) })),
        )
        .await;
        tracing::info!(operator = %operator.name, "operator created");
        Ok(self.created(operator, secret))
    }

    /// Every operator, oldest first (owners only).
    #[tracing::instrument(skip_all)]
    pub async fn operators(&self) -> ServiceResult<Vec<OperatorAccount>> {
        self.operator.owner()?;
        Ok(self.store.operators().operators().await?)
    }

    /// The operator called `name` (owners only); 1002 when there is none.
    #[tracing::instrument(skip_all)]
    pub async fn operator_named(&self, name: &str) -> ServiceResult<OperatorAccount> {
        self.operator.owner()?;
        let name = OperatorName::parse(name)?;
        self.store
            .operators()
            .operator_by_name(&name)
            .await?
            .ok_or_else(no_such_operator)
    }

    /// Clears an operator's password, authenticator, recovery codes and sessions and gives them a new setup link
    /// (owners only).
    #[tracing::instrument(skip_all, fields(operator_id = %id))]
    pub async fn reset_operator(&self, id: &OperatorId) -> ServiceResult<CreatedOperator> {
        self.operator.owner()?;
        self.operator.writer()?;
        let operator = self
            .store
            .operators()
            .operator(id)
            .await?
            .ok_or_else(no_such_operator)?;
        let (secret, link) = self.new_setup_link();
        if !self.store.operators().reset_operator(id, &link).await? {
            return Err(no_such_operator());
        }
        self.record(
            "operator.reset",
            None,
            None,
            Some(json!({ "after": summary(&operator) })),
        )
        .await;
        tracing::info!(operator = %operator.name, "operator reset");
        Ok(self.created(
            OperatorAccount {
                password_hash: None,
                totp: None,
                pending_totp: None,
                setup: Some(link),
                ..operator
            },
            secret,
        ))
    }

    /// Deletes an operator and their sessions (owners only); never the last owner.
    #[tracing::instrument(skip_all, fields(operator_id = %id))]
    pub async fn delete_operator(&self, id: &OperatorId) -> ServiceResult<()> {
        self.operator.owner()?;
        self.operator.writer()?;
        let operators = self.store.operators().operators().await?;
        let operator = operators
            .iter()
            .find(|operator| &operator.id == id)
            .ok_or_else(no_such_operator)?;
        let owners = operators
            .iter()
            .filter(|operator| operator.scope == AdminScope::Deployment)
            .count();
        if operator.scope == AdminScope::Deployment && owners == 1 {
            return Err(ServiceError::Rejected(
                "this is the last owner: make another owner before deleting this one".to_owned(),
            ));
        }
        if !self.store.operators().delete_operator(id).await? {
            return Err(no_such_operator());
        }
        self.record(
            "operator.delete",
            None,
            None,
            Some(json!({ "before": summary(operator) })),
        )
        .await;
        tracing::info!(operator = %operator.name, "operator deleted");
        Ok(())
    }

    /// How many unused recovery codes the operator has, when they signed in as an operator account.
    #[tracing::instrument(skip_all)]
    pub async fn recovery_codes_left(&self) -> ServiceResult<Option<u32>> {
        let Some(account) = self.operator.account() else {
            return Ok(None);
        };
        Ok(Some(
            self.store
                .operators()
                .recovery_codes_left(&account.id)
                .await?,
        ))
    }

    fn new_setup_link(&self) -> (String, SetupLink) {
        let secret = random_token(32);
        let link = SetupLink {
            hash: hash_secret(&secret),
            expires_at: self.clock.now() + SETUP_LINK_LIFETIME,
        };
        (secret, link)
    }

    fn created(&self, operator: OperatorAccount, setup_secret: String) -> CreatedOperator {
        CreatedOperator {
            setup_url: format!("{}/console/setup#{setup_secret}", self.public_url),
            operator,
            setup_secret,
        }
    }
}

fn no_such_operator() -> ServiceError {
    ServiceError::Rejected("there is no operator with this id or name".to_owned())
}
