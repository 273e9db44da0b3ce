/** action_id values shared by the block builders (which render buttons) and the listeners (which handle them). */
export const ACTION_IDS = {
  verify: 'domain_verify',
  activate: 'domain_activate',
  deactivate: 'domain_deactivate',
  delete: 'domain_delete',
  refresh: 'domain_refresh',
  checkDns: 'domain_check_dns',
} as const;
