package dev.teeagent.error;

/**
 * Every error the API can answer with: one HTTP status and one stable snake_case code each. Clients
 * branch on {@link #code()}; the status follows DESIGN §3.
 */
public enum ErrorCode {
  // 400: the request itself is malformed
  MALFORMED_JSON(400, "malformed_json"),
  DUPLICATE_KEY(400, "duplicate_key"),
  UNKNOWN_FIELD(400, "unknown_field"),
  INVALID_FIELD(400, "invalid_field"),
  MISSING_FIELD(400, "missing_field"),
  BAD_CLIENT_NONCE(400, "bad_client_nonce"),
  BAD_QUERY(400, "bad_query"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  // 4xx: the HTTP message itself (cut short, bad framing, refused by the HTTP layer)
  BAD_HTTP_REQUEST(400, "bad_http_request"),
  BODY_INCOMPLETE(400, "body_incomplete"),
  BODY_TIMEOUT(408, "body_timeout"),
  URI_TOO_LONG(414, "uri_too_long"),
  UPGRADE_REQUIRED(426, "upgrade_required"),
  HEADERS_TOO_LARGE(431, "headers_too_large"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http_version_not_supported"),
  // 400: operator commands (variables)
  INVALID_VARIABLE_NAME(400, "invalid_variable_name"),
  INVALID_COMMAND(400, "invalid_command"),
  TOO_MANY_COMMANDS(400, "too_many_commands"),
  HIDDEN_VALUE_NOT_ENCRYPTED(400, "hidden_value_not_encrypted"),
  CREDENTIAL_NOT_HIDDEN(400, "credential_not_hidden"),
  PER_VARIABLE_SIGNATURE(400, "per_variable_signature"),
  BAD_CIPHERTEXT(400, "bad_ciphertext"),
  CIPHERTEXT_MISMATCH(400, "ciphertext_mismatch"),
  EMPTY_LIST_ENTRY(400, "empty_list_entry"),
  INVALID_VALUE(400, "invalid_value"),
  VALUE_TOO_LARGE(413, "value_too_large"),
  VARIABLE_NOT_FOUND(404, "variable_not_found"),
  // 401/403: who is asking
  BAD_SIGNATURE(401, "bad_signature"),
  NOT_OPERATOR(403, "not_operator"),
  // 404/405/413/429
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  BODY_TOO_LARGE(413, "body_too_large"),
  BODY_TOO_COMPLEX(413, "body_too_complex"),
  RATE_LIMITED(429, "rate_limited"),
  // 409: conflicts with the agent's state
  STALE_NONCE(409, "stale_nonce"),
  DEADLINE_EXPIRED(409, "deadline_expired"),
  DEADLINE_TOO_FAR(409, "deadline_too_far"),
  VARIABLE_IMMUTABLE(409, "variable_immutable"),
  CANNOT_HIDE_PUBLIC(409, "cannot_hide_public"),
  NOT_HIDDEN(409, "not_hidden"),
  // transactions: the request against the chain, the policy (each rule its own 403), the RPC
  CHAIN_ID_MISMATCH(409, "chain_id_mismatch"),
  INSUFFICIENT_FUNDS(409, "insufficient_funds"),
  FEE_BELOW_BASE_FEE(409, "fee_below_base_fee"),
  GAS_ABOVE_BLOCK_LIMIT(409, "gas_above_block_limit"),
  TX_AUTHORIZATION_REQUIRED(403, "tx_authorization_required"),
  TX_SIGNER_NOT_ALLOWED(403, "tx_signer_not_allowed"),
  TX_LIMITS_REQUIRED(403, "tx_limits_required"),
  TX_MAX_VALUE_EXCEEDED(403, "tx_max_value_exceeded"),
  TX_MAX_FEE_EXCEEDED(403, "tx_max_fee_exceeded"),
  TX_AUTHORIZED_FEE_EXCEEDED(403, "tx_authorized_fee_exceeded"),
  TX_BUDGET_EXCEEDED(403, "tx_budget_exceeded"),
  TX_TO_NOT_ALLOWED(403, "tx_to_not_allowed"),
  TX_CALL_NOT_ALLOWED(403, "tx_call_not_allowed"),
  TX_CHAIN_NOT_ALLOWED(403, "tx_chain_not_allowed"),
  TX_RPC_URL_NOT_ALLOWED(403, "tx_rpc_url_not_allowed"),
  TX_BROADCAST_REQUIRED(403, "tx_broadcast_required"),
  TX_FILL_OPERATOR_ONLY(403, "tx_fill_operator_only"),
  TX_POLICY_INVALID(503, "tx_policy_invalid"),
  RPC_UNREACHABLE(502, "rpc_unreachable"),
  RPC_BAD_RESPONSE(502, "rpc_bad_response"),
  RPC_ERROR(502, "rpc_error"),
  RPC_TIMEOUT(504, "rpc_timeout"),
  // 5xx
  INTERNAL_ERROR(500, "internal_error"),
  CLOCK_SKEW(503, "clock_skew"),
  ATTESTATION_UNAVAILABLE(503, "attestation_unavailable"),
  // sealed identity: the change was made in memory but its snapshot could not be stored
  STATE_NOT_STORED(503, "state_not_stored"),
  COOLING_DOWN(503, "cooling_down"),
  // prompt: the operator's bounds on what anonymous clients may spend of the operator's key
  LLM_MODEL_NOT_ALLOWED(403, "llm_model_not_allowed"),
  LLM_MAX_TOKENS_EXCEEDED(403, "llm_max_tokens_exceeded"),
  SERVER_BUSY(503, "server_busy"),
  // LLM provider (prompt): one code per kind of failure, so clients can tell them apart
  LLM_NOT_CONFIGURED(503, "llm_not_configured"),
  LLM_MISCONFIGURED(503, "llm_misconfigured"),
  LLM_BUSY(503, "llm_busy"),
  LLM_REJECTED(502, "llm_rejected"),
  LLM_RATE_LIMITED(502, "llm_rate_limited"),
  LLM_SERVER_ERROR(502, "llm_server_error"),
  LLM_CONNECTION_FAILED(502, "llm_connection_failed"),
  LLM_TLS_FAILED(502, "llm_tls_failed"),
  LLM_BAD_RESPONSE(502, "llm_bad_response"),
  LLM_TIMEOUT(504, "llm_timeout");

  private final int status;
  private final String code;

  ErrorCode(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
