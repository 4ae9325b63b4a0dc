/**
 * Test and bench hosts sign in and chat far faster than a customer, from one address: every abuse limit off
 * unless a test sets one. A new limit's variable goes here.
 */
export const LIMITS_OFF = {
  LIMIT_MESSAGES_PER_MINUTE: '0',
  LIMIT_MESSAGES_PER_MINUTE_PER_IP: '0',
  LIMIT_SIGNINS_PER_MINUTE_PER_IP: '0',
  LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER: '0',
  LIMIT_DAILY_BUDGET_USD: '0',
};
