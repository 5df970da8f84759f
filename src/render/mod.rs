//! Renderers: the organization IR to Terraform and to AWS CLI scripts.
