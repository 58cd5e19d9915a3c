import { stepUp } from '@/mfa-step-up';

/** The step-up page's route: its forms post here, and the step-up dialog asks it for the user's factors. */
export const { GET, POST } = stepUp;
