import { stepUp } from '@/mfa-step-up';

export const metadata = { title: 'Verify it’s you — Acme Console' };

export default stepUp.Page;
