/** The Hono environment: Worker bindings plus what middleware puts on the context. */
import type { Tenant } from '../../shared/api';

export interface AppEnv {
  Bindings: Env;
  Variables: { tenant: Tenant };
}
