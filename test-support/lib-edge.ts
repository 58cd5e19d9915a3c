/** What the middleware-level test harnesses load after authkit's environment is set: engine plus middleware. */
export * from '../lib/index';
export * from '../lib/middleware';
