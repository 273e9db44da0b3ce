import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { planRecords, publishRecords } from '../../src/publish/publish-records.js';
import { createRoute53Publisher } from '../../src/publish/route53-publisher.js';

const ZONE = 'example.com';
const ZONE_ID = '/hostedzone/Z0EXAMPLE';
const cname = (host: string, data: string) => ({ type: 'cname', host, data, valid: false });
const RECORDS = [
  cname('em123.example.com', 'u123.wl.sendgrid.net'),
  cname('s1._domainkey.example.com', 's1.domainkey.u123.wl.sendgrid.net'),
  cname('s2._domainkey.example.com', 's2.domainkey.u123.wl.sendgrid.net'),
];
const FAST = { max: 1, minDelay: 0.01, maxDelay: 0.02 };

const route53 = mockClient(Route53Client);
const client = new Route53Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'test-secret-access-key-0123456789' },
});
const publisher = () => createRoute53Publisher({ client, waitSeconds: FAST });

// What Route 53 holds, served by name the way ListResourceRecordSets pages from StartRecordName.
function serve(sets: ResourceRecordSet[]) {
  route53.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName: string }) => ({
    ResourceRecordSets: sets.filter((set) => set.Name === `${input.StartRecordName}.`),
    IsTruncated: false,
  }));
}
const set = (name: string, Type: ResourceRecordSet['Type'], values: string[]): ResourceRecordSet => ({
  Name: `${name}.`,
  Type,
  TTL: 300,
  ResourceRecords: values.map((Value) => ({ Value })),
});
const CREATE_EM123 = {
  Action: 'CREATE',
  ResourceRecordSet: {
    Name: 'em123.example.com',
    Type: 'CNAME',
    TTL: 3600,
    ResourceRecords: [{ Value: 'u123.wl.sendgrid.net' }],
  },
};
const refuseBatch = (name: string, httpStatusCode: number, message: string) =>
  route53
    .on(ChangeResourceRecordSetsCommand)
    .rejects(new Route53ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message }));
const batches = () => route53.commandCalls(ChangeResourceRecordSetsCommand).map((call) => call.args[0].input);

beforeEach(() => {
  route53.reset();
  route53.on(ListHostedZonesByNameCommand).resolves({
    HostedZones: [
      {
        Id: '/hostedzone/ZPRIVATE',
        Name: 'example.com.',
        CallerReference: 'p',
        Config: { PrivateZone: true },
      },
      { Id: ZONE_ID, Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: false } },
    ],
  });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53
    .on(GetChangeCommand)
    .resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } })
    .resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() },
    });
});

describe('publishing at Route 53', () => {
  it('writes every missing record in one batch to the public zone, then waits for INSYNC', async () => {
    serve([set('s1._domainkey.example.com', 'CNAME', ['s1.domainkey.u123.wl.sendgrid.net'])]);

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({ status: 'written' });
    expect(batches()).toEqual([
      {
        HostedZoneId: ZONE_ID,
        ChangeBatch: {
          Comment: expect.any(String),
          Changes: [
            CREATE_EM123,
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 's2._domainkey.example.com',
                Type: 'CNAME',
                TTL: 3600,
                ResourceRecords: [{ Value: 's2.domainkey.u123.wl.sendgrid.net' }],
              },
            },
          ],
        },
      },
    ]);
    expect(route53.commandCalls(GetChangeCommand).map((call) => call.args[0].input)).toEqual([
      { Id: '/change/C1' },
      { Id: '/change/C1' },
    ]);
  });

  it('replaces a named conflict by deleting the record set exactly as read in the same batch', async () => {
    const old = set('em123.example.com', 'A', ['192.0.2.1', '192.0.2.2']);
    serve([old]);

    const conflict = await publishRecords(publisher(), { zone: ZONE, records: RECORDS.slice(0, 1) });
    expect(conflict).toMatchObject({ status: 'unchanged', plan: { rows: [{ action: 'conflict' }] } });
    expect(batches()).toEqual([]);

    await publishRecords(publisher(), {
      zone: ZONE,
      records: RECORDS.slice(0, 1),
      replace: ['em123.example.com'],
    });
    expect(batches()[0]?.ChangeBatch?.Changes).toEqual([
      { Action: 'DELETE', ResourceRecordSet: old },
      CREATE_EM123,
    ]);
  });

  it('quotes TXT values, splitting long ones into 255-character strings, and keeps the wanted values of a set', async () => {
    const key = `v=DKIM1; k=rsa; p=${'A'.repeat(300)}`;
    serve([set('m1._domainkey.example.com', 'TXT', ['"v=spf1 -all"'])]);
    const records = [
      { type: 'txt', host: 'm1._domainkey.example.com', data: key, valid: false },
      { type: 'mx', host: 'em1.example.com', data: 'mx.sendgrid.net', valid: false },
    ];

    await publishRecords(publisher(), { zone: ZONE, records, replace: ['m1._domainkey.example.com'] });

    expect(
      batches()[0]?.ChangeBatch?.Changes?.map((c) => [c.Action, c.ResourceRecordSet?.ResourceRecords]),
    ).toEqual([
      ['DELETE', [{ Value: '"v=spf1 -all"' }]],
      ['CREATE', [{ Value: `"${key.slice(0, 255)}" "${key.slice(255)}"` }]],
      ['CREATE', [{ Value: '10 mx.sendgrid.net' }]],
    ]);
  });

  it('publishing the same records twice sends no batch the second time', async () => {
    serve(RECORDS.map((r) => set(r.host, 'CNAME', [`${r.data}.`])));

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({ status: 'unchanged' });
    expect(batches()).toEqual([]);
  });

  it('sends nothing when a name changed after the plan', async () => {
    serve([]);
    const planned = await planRecords(publisher(), { zone: ZONE, records: RECORDS });
    if (planned.status !== 'planned') throw new Error(planned.status);
    serve([set('em123.example.com', 'TXT', ['"someone else"'])]);

    await expect(publisher().write(ZONE, planned.plan.changes)).rejects.toMatchObject({
      code: 'changed_meanwhile',
    });
    expect(batches()).toEqual([]);
  });

  it('reports a batch Route 53 refused because a record set changed meanwhile', async () => {
    serve([]);
    refuseBatch(
      'InvalidChangeBatch',
      400,
      "[Tried to create resource record set [name='em123.example.com.', type='CNAME'] but it already exists]",
    );

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'changed_meanwhile' } });
  });

  it('explains AWS access denied with the permissions to grant, without any credential', async () => {
    serve([]);
    refuseBatch(
      'AccessDenied',
      403,
      'User: arn:aws:iam::123456789012:user/bot is not authorized to perform: route53:ChangeResourceRecordSets',
    );

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'permission_denied', provider: 'route53' },
    });
    if (result.status !== 'failed') return;
    expect(result.explanation.problem).toMatch(/AWS denied access/);
    expect(result.explanation.fix).toMatch(/route53:ChangeResourceRecordSets/);
    const said =
      JSON.stringify(result) + result.error.message + String((result.error.cause as Error).message);
    expect(said).not.toContain('test-secret-access-key');
    expect(said).not.toContain('AKIAEXAMPLE');
  });

  it('explains a zone the credentials cannot see', async () => {
    route53
      .on(ListHostedZonesByNameCommand)
      .resolves({ HostedZones: [{ Id: '/hostedzone/Z9', Name: 'zzz.com.', CallerReference: 'z' }] });

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'zone_not_found' } });
  });

  it('says the change was accepted but not yet in sync when INSYNC does not come in time', async () => {
    serve([]);
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({ status: 'failed', error: { code: 'not_in_sync' } });
    if (result.status !== 'failed') return;
    expect(result.explanation.fix).toMatch(/Nothing to redo/);
    expect(batches()).toHaveLength(1);
  });
});
