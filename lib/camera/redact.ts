/** Camera URLs' credentials are redacted by the shared lib/redact.ts (audit details use it too). */
export { redactCredentials } from '@/lib/redact';
