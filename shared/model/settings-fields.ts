import { z } from 'zod';

/** Field schemas that more than one settings section uses. */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Deliberately simple: full IPv6 validation belongs to node:net, which shared/ cannot use.
const IPV6 = /^[0-9a-f:]+(%[a-z0-9]+)?$/i;
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export const IpAddressSchema = z
  .string()
  .trim()
  .refine((value) => IPV4.test(value) || (value.includes(':') && IPV6.test(value)), {
    message: 'must be an IP address such as 192.168.1.20',
  });

export const HostNameSchema = z
  .string()
  .trim()
  .refine((value) => HOST_NAME.test(value) || IPV4.test(value), {
    message: 'must be a host name or IPv4 address',
  });

export const wholeNumber = (min: number, max: number, below: string, above: string) =>
  z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: below })
    .max(max, { error: above });

/** A TCP or UDP port a door listens on. */
export const PortSchema = wholeNumber(
  1024,
  65535,
  'must be 1024 or above (lower ports need administrator rights)',
  'must be 65535 or below',
);
