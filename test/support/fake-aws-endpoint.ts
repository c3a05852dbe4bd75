/**
 * A small in-process stand-in for the AWS calls the preview and drift tools
 * make, reached by the real SDK through `AWS_ENDPOINT_URL`: STS
 * AssumeRoleWithWebIdentity, CloudFormation (query protocol, XML: the
 * preview's DescribeStacks and GetTemplate, drift detection's
 * DetectStackDrift, DescribeStackDriftDetectionStatus and paged
 * DescribeStackResourceDrifts) and SSM GetParameter (JSON 1.1). Answers as
 * AWS does (same error codes and messages), records every call. Listens on
 * 127.0.0.1 only. (The rehearsal has its own, authorised by an IAM model:
 * test/rehearsal/fake-aws.ts.)
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakePropertyDifference {
  readonly PropertyPath: string;
  readonly ExpectedValue: string;
  readonly ActualValue: string;
  readonly DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

export interface FakeResourceDrift {
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly StackResourceDriftStatus: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';
  readonly PropertyDifferences?: FakePropertyDifference[];
}

export interface FakeStack {
  readonly name: string;
  /** e.g. `CREATE_COMPLETE`, `REVIEW_IN_PROGRESS` (default `UPDATE_COMPLETE`). */
  readonly status?: string;
  readonly statusReason?: string;
  /** Template GetTemplate returns (JSON object, or a string as is). */
  readonly template?: unknown;
  /** Drift detection: every resource with its drift status (IN_SYNC ones too). */
  readonly resources?: FakeResourceDrift[];
  /** How many status checks answer DETECTION_IN_PROGRESS before the result (default 0); `Infinity` never ends. */
  readonly checksInProgress?: number;
  /** Default DETECTION_COMPLETE. */
  readonly detectionStatus?: 'DETECTION_COMPLETE' | 'DETECTION_FAILED';
  readonly detectionStatusReason?: string;
}

export interface FakeAwsEndpointOptions {
  /** Deployed stacks; any other name does not exist. */
  readonly stacks?: FakeStack[];
  /** SSM parameters by name (e.g. `/cdk-bootstrap/hnb659fds/version`). */
  readonly parameters?: Record<string, string>;
  /** How STS answers AssumeRoleWithWebIdentity (default `allow`; `deny` as for a role not deployed or a trust mismatch). */
  readonly webIdentity?: 'allow' | 'deny' | 'invalid-token';
  /** Stack names the caller may read (regular expression); others get AccessDenied. Default: all. */
  readonly readableStacks?: RegExp;
  /** CloudFormation calls refused with AccessDenied, as `Action stack`, e.g. `DetectStackDrift production-Data`. */
  readonly deny?: string[];
  /** SSM GetParameter refused (AccessDeniedException). */
  readonly denySsm?: boolean;
  /** Answer every CloudFormation call with this error. */
  readonly cloudFormationError?: { status: number; code: string; message: string };
  /** Resource drifts per DescribeStackResourceDrifts page (default 2, so pagination is exercised). */
  readonly pageSize?: number;
}

export interface FakeCall {
  readonly service: 'sts' | 'cloudformation' | 'ssm' | 'unknown';
  readonly action: string;
  /** Role ARN (STS), stack name (CloudFormation), parameter name (SSM). */
  readonly target?: string;
  readonly outcome: string;
  /** Access key ID that signed the request (undefined for AssumeRoleWithWebIdentity). */
  readonly accessKeyId?: string;
  /** What was asked for besides the stack, e.g. `TemplateStage`. */
  readonly params?: Record<string, string>;
}

/** Access key ID of the sessions STS hands out. */
export const FAKE_SESSION_KEY_ID = 'ASIAFAKEWEBIDENTITY1';
const ACCOUNT = '111111111111';
const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** XML elements for the defined values, in order. */
function el(values: Record<string, string | number | undefined>): string {
  return Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`).join('');
}

/** A refused CloudFormation call. */
class Refusal extends Error {
  constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

export class FakeAwsEndpoint {
  public readonly calls: FakeCall[] = [];
  /** Every request body received, to check that no secret travelled where it should not. */
  public readonly bodies: string[] = [];
  private readonly server: http.Server;
  private readonly detections = new Map<string, { stackName: string; checks: number }>();

  constructor(private readonly options: FakeAwsEndpointOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Actions called, in order; CloudFormation ones as `Action stack`. */
  public get actions(): string[] {
    return this.calls.map((c) => (c.service === 'cloudformation' && c.target ? `${c.action} ${c.target}` : c.action));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf-8');
    this.bodies.push(body);
    const auth = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    const accessKeyId = auth?.[1];
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('AmazonSSM.')) return this.ssm(res, target.slice('AmazonSSM.'.length), body, accessKeyId);
    const params = Object.fromEntries(new URLSearchParams(body));
    const action = params.Action ?? '';
    if (action === 'AssumeRoleWithWebIdentity') return this.sts(res, params);
    if (auth?.[3] === 'cloudformation') return this.cloudFormation(res, action, params, accessKeyId);
    this.calls.push({ service: 'unknown', action, outcome: 'UnknownOperation', accessKeyId });
    this.xmlError(res, STS_NS, 400, 'UnknownOperation', `the fake endpoint does not implement ${action || req.url}`);
  }

  private sts(res: http.ServerResponse, params: Record<string, string>): void {
    const roleArn = params.RoleArn ?? '';
    const mode = this.options.webIdentity ?? 'allow';
    if (mode === 'deny') {
      this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'AccessDenied' });
      return this.xmlError(res, STS_NS, 403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    if (mode === 'invalid-token') {
      this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'InvalidIdentityToken' });
      return this.xmlError(res, STS_NS, 400, 'InvalidIdentityToken', 'No OpenIDConnect provider found in your account for https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc');
    }
    this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'ok' });
    // The session belongs to the role's account: the tools compare it with --account.
    const account = roleArn.split(':')[4] ?? ACCOUNT;
    const role = roleArn.split('/').pop() ?? 'role';
    this.xml(res, 200, `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult>`
      + `<Credentials>${el({ AccessKeyId: FAKE_SESSION_KEY_ID, SecretAccessKey: 'fakeSecretFromSts', SessionToken: 'fakeSessionToken', Expiration: new Date(Date.now() + 3600_000).toISOString() })}</Credentials>`
      + `<AssumedRoleUser>${el({ Arn: `arn:aws:sts::${account}:assumed-role/${role}/session`, AssumedRoleId: 'AROAFAKE:session' })}</AssumedRoleUser>`
      + `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`);
  }

  private cloudFormation(res: http.ServerResponse, action: string, params: Record<string, string>, accessKeyId?: string): void {
    const detection = params.StackDriftDetectionId ? this.detections.get(params.StackDriftDetectionId) : undefined;
    const name = params.StackName ?? detection?.stackName;
    const record = (outcome: string) => this.calls.push({
      service: 'cloudformation',
      action,
      target: name,
      outcome,
      accessKeyId,
      params: Object.fromEntries(Object.entries(params).filter(([k]) => !['Action', 'Version', 'StackName'].includes(k))),
    });
    try {
      const result = this.cloudFormationResult(action, params, name, detection);
      record('ok');
      this.xml(res, 200, `<${action}Response xmlns="${CFN_NS}"><${action}Result>${result}</${action}Result>`
        + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    } catch (e) {
      const r = e instanceof Refusal ? e : new Refusal(500, 'InternalFailure', String(e));
      record(r.code);
      this.xmlError(res, CFN_NS, r.status, r.code, r.message);
    }
  }

  /** The `<Action>Result` body, or a `Refusal`. */
  private cloudFormationResult(action: string, params: Record<string, string>, name: string | undefined,
    detection: { stackName: string; checks: number } | undefined): string {
    const injected = this.options.cloudFormationError;
    if (injected) throw new Refusal(injected.status, injected.code, injected.message);
    const readable = !this.options.readableStacks || !name || this.options.readableStacks.test(name);
    if (!readable || this.options.deny?.includes(`${action} ${name}`)) {
      throw new Refusal(403, 'AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/preview/session is not authorized to perform: `
        + `cloudformation:${action} on resource: arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${name}/* because no identity-based policy allows the cloudformation:${action} action`);
    }
    const known = ['DescribeStacks', 'GetTemplate', 'DetectStackDrift', 'DescribeStackDriftDetectionStatus', 'DescribeStackResourceDrifts'];
    if (!known.includes(action)) throw new Refusal(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    if (action === 'DescribeStackDriftDetectionStatus' && !detection) throw new Refusal(400, 'ValidationError', 'No drift detection with that ID');
    const stack = (this.options.stacks ?? []).find((s) => s.name === name);
    if (!stack) throw new Refusal(400, 'ValidationError', `Stack with id ${name} does not exist`);
    const status = stack.status ?? 'UPDATE_COMPLETE';
    const stackId = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/${stack.name}/0c1d2e3f`;
    const resources = stack.resources ?? [];

    switch (action) {
      case 'DescribeStacks':
        return `<Stacks><member>${el({ StackName: stack.name, StackId: stackId, CreationTime: '2024-01-01T00:00:00.000Z', StackStatus: status, StackStatusReason: stack.statusReason })}</member></Stacks>`;
      case 'GetTemplate': {
        const body = typeof stack.template === 'string' ? stack.template : JSON.stringify(stack.template ?? {});
        return `${el({ TemplateBody: body })}<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`;
      }
      case 'DetectStackDrift': {
        if (!/_COMPLETE$/.test(status)) {
          throw new Refusal(400, 'ValidationError', `Drift detection cannot be performed on stack ${stack.name} in ${status} state`);
        }
        const id = randomUUID();
        this.detections.set(id, { stackName: stack.name, checks: 0 });
        return el({ StackDriftDetectionId: id });
      }
      case 'DescribeStackDriftDetectionStatus': {
        detection!.checks++;
        const inProgress = detection!.checks <= (stack.checksInProgress ?? 0);
        const drifted = resources.filter((r) => r.StackResourceDriftStatus === 'MODIFIED' || r.StackResourceDriftStatus === 'DELETED').length;
        return el({
          StackId: stackId,
          StackDriftDetectionId: params.StackDriftDetectionId,
          StackDriftStatus: inProgress ? undefined : drifted > 0 ? 'DRIFTED' : stack.detectionStatus === 'DETECTION_FAILED' ? 'NOT_CHECKED' : 'IN_SYNC',
          DetectionStatus: inProgress ? 'DETECTION_IN_PROGRESS' : stack.detectionStatus ?? 'DETECTION_COMPLETE',
          DetectionStatusReason: inProgress ? undefined : stack.detectionStatusReason,
          DriftedStackResourceCount: inProgress ? undefined : drifted,
          Timestamp: new Date().toISOString(),
        });
      }
      default: { // DescribeStackResourceDrifts
        const filters = Object.entries(params).filter(([k]) => k.startsWith('StackResourceDriftStatusFilters.member.')).map(([, v]) => v);
        const matching = resources.filter((r) => filters.length === 0 || filters.includes(r.StackResourceDriftStatus));
        const start = Number(params.NextToken ?? 0);
        const size = this.options.pageSize ?? 2;
        const next = start + size < matching.length ? String(start + size) : undefined;
        const members = matching.slice(start, start + size).map((r) => `<member>${el({
          StackId: stackId,
          LogicalResourceId: r.LogicalResourceId,
          PhysicalResourceId: r.PhysicalResourceId,
          ResourceType: r.ResourceType,
          StackResourceDriftStatus: r.StackResourceDriftStatus,
          Timestamp: new Date().toISOString(),
        })}<PropertyDifferences>${(r.PropertyDifferences ?? []).map((p) => `<member>${el({ ...p })}</member>`).join('')}</PropertyDifferences></member>`);
        return `<StackResourceDrifts>${members.join('')}</StackResourceDrifts>${el({ NextToken: next })}`;
      }
    }
  }

  private ssm(res: http.ServerResponse, action: string, body: string, accessKeyId?: string): void {
    const input = JSON.parse(body || '{}');
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(payload));
    };
    const record = (outcome: string) => this.calls.push({ service: 'ssm', action, target: input.Name, outcome, accessKeyId });
    const value = this.options.parameters?.[input.Name];
    if (action !== 'GetParameter') {
      record('InvalidAction');
      return send(400, { __type: 'InvalidAction', message: `${action} is not implemented by the fake endpoint` });
    }
    if (this.options.denySsm) {
      record('AccessDeniedException');
      return send(400, { __type: 'AccessDeniedException', message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/preview/session is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${input.Name}` });
    }
    if (value === undefined) {
      record('ParameterNotFound');
      return send(400, { __type: 'ParameterNotFound', message: '' });
    }
    record('ok');
    send(200, { Parameter: { Name: input.Name, Type: 'String', Value: value, Version: 1, DataType: 'text', LastModifiedDate: Date.now() / 1000 } });
  }

  private xml(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
  }

  private xmlError(res: http.ServerResponse, ns: string, status: number, code: string, message: string): void {
    this.xml(res, status, `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type>${el({ Code: code, Message: message })}</Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
}
/** Variables that point the SDK at `endpoint` and shut out every other credential source of this machine. */
export function isolatedAwsEnv(endpoint: string, dir: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-credentials`,
    AWS_CONFIG_FILE: `${dir}/no-config`,
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  };
}

/** Sets `vars` on `process.env` (undefined deletes) and returns a function that restores what was there. */
export function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}
