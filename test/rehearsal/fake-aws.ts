/**
 * A stand-in for AWS on 127.0.0.1: just enough STS, S3, SSM and
 * CloudFormation for the real CDK CLI's `cdk deploy` (pointed at it with
 * `AWS_ENDPOINT_URL`) to reach its first CloudFormation call, which is
 * recorded and answered with an error that ends the CLI. With
 * `cloudFormationReads`, the read calls of the pull-request preview and the
 * drift check (DescribeStacks, GetTemplate, DetectStackDrift,
 * DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts) are
 * answered from stacks configured with `deployStack`, as CloudFormation
 * would; every other CloudFormation call still ends with `RehearsalStop`.
 *
 * CloudFormation and SSM calls are authorised by the IAM model: the
 * caller's identity policies (a web identity session holds its role's
 * inline policies from the synthesised OIDC template; a bootstrap role's
 * session, see `bootstrapSessionPolicies`; static keys, administrator)
 * evaluated for the action on the stack's or parameter's ARN, and refused
 * with AWS's `AccessDenied` otherwise.
 *
 * STS behaves as AWS documents it for a generic OIDC provider: the token's
 * issuer must match a provider in the role's account, its `aud` must be one
 * of the provider's client IDs ("Incorrect token audience"), and the role's
 * trust policy, read from the synthesised OIDC template, is evaluated by a
 * real IAM policy evaluator against `aud`, `sub` and the provider. It does
 * NOT check the token's signature (nor fetch Bitbucket's keys) and does not
 * check SigV4 signatures: callers are told apart by access key ID only.
 *
 * Every call is recorded: service, action, caller (session or static key),
 * what it asked for, and the outcome.
 */
import { randomBytes, randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import {
  ADMINISTRATOR_POLICY, bootstrapSessionPolicies, Decision, evaluateAssumeRole, evaluateIdentityAction, evaluateWebIdentityTrust,
  IamModel, partitionOfRegion,
} from './iam-model';
import { decodeJwtPayload } from '../support/bitbucket-token';

export interface Caller {
  readonly accessKeyId: string;
  /** `static` (long-lived keys), `web-identity` (AssumeRoleWithWebIdentity) or `assumed-role` (AssumeRole). */
  readonly kind: 'static' | 'web-identity' | 'assumed-role';
  /** ARN GetCallerIdentity returns: user ARN or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly account: string;
  /** Role ARN of a session; undefined for static keys. */
  readonly roleArn?: string;
  /** Identity policies the caller holds (for AssumeRole decisions). */
  readonly policies: any[];
}

export interface RecordedCall {
  readonly seq: number;
  readonly service: string;
  readonly action: string;
  /** Access key ID that signed the request; undefined for unsigned calls (AssumeRoleWithWebIdentity). */
  readonly accessKeyId?: string;
  /** The caller, when the key is known. */
  readonly caller?: Caller;
  /** Role, stack, parameter or object asked for. */
  readonly target?: string;
  /** `ok` or the error code returned. */
  readonly outcome: string;
  readonly message?: string;
  /** AssumeRoleWithWebIdentity: the token's claims that matter (never the token itself). */
  readonly token?: { iss?: string; aud?: string; sub?: string };
  /** Session issued on success of AssumeRole*. */
  readonly issued?: Caller;
  /** Region of the call (from the signature's credential scope). */
  readonly region?: string;
  /** CloudFormation and SSM: the request's parameters other than Action/Version (never credentials). */
  readonly input?: Record<string, string>;
}

/** A property difference DescribeStackResourceDrifts reports. */
export interface PropertyDifference {
  /** JSON pointer into the resource's properties, e.g. `/VersioningConfiguration/Status`. */
  readonly path: string;
  /** Value in the template; undefined for a property that was added outside CloudFormation. */
  readonly expected?: unknown;
  /** Value in the account; undefined for a property that was removed outside CloudFormation. */
  readonly actual?: unknown;
}

/** A resource of a deployed stack that was changed (or deleted) outside CloudFormation. */
export interface ResourceDrift {
  readonly logicalId: string;
  /** `MODIFIED` (default) or `DELETED`. */
  readonly status?: 'MODIFIED' | 'DELETED';
  readonly differences?: PropertyDifference[];
}

/** A stack as CloudFormation holds it in one account and region. */
export interface DeployedStack {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  /** The template GetTemplate returns (both stages). */
  readonly template: any;
  /** @default 'UPDATE_COMPLETE' */
  readonly status?: string;
  /** What drift detection finds; none: IN_SYNC. */
  readonly drift?: ResourceDrift[];
  /** Stack tags, which IAM sees as `aws:ResourceTag/<key>` of the stack (a stack that does not exist has none). */
  readonly tags?: Record<string, string>;
}

interface StoredStack extends DeployedStack {
  readonly stackId: string;
  readonly createdAt: string;
  /** Set by DetectStackDrift: DescribeStackResourceDrifts answers from then on. */
  detectedAt?: string;
}

interface DriftDetection {
  readonly id: string;
  readonly stack: StoredStack;
  /** DescribeStackDriftDetectionStatus answers DETECTION_IN_PROGRESS this many more times. */
  pollsLeft: number;
}

export interface FakeAwsOptions {
  readonly iam: IamModel;
  /** The server closes itself after this long, whatever happens to the test (default 15 minutes). */
  readonly maxLifetimeMs?: number;
  /** SSM value of `/cdk-bootstrap/<qualifier>/version` in every account and region not set with `setBootstrapVersion` (default 30). */
  readonly bootstrapVersion?: number;
  /**
   * Answer CloudFormation's read calls (previews, drift) from `deployStack`;
   * otherwise (default) every CloudFormation call answers `RehearsalStop`,
   * which ends `cdk deploy` at its first CloudFormation call.
   */
  readonly cloudFormationReads?: boolean;
  /** DescribeStackDriftDetectionStatus answers DETECTION_IN_PROGRESS this many times per detection before the result (default 0). */
  readonly driftPolls?: number;
}

/** CloudFormation actions answered when `cloudFormationReads` is on. */
export const CLOUDFORMATION_READ_ACTIONS = ['DescribeStacks', 'GetTemplate', 'DetectStackDrift', 'DescribeStackDriftDetectionStatus', 'DescribeStackResourceDrifts'];

/** The message CloudFormation answers with: it ends `cdk deploy` right after its first CloudFormation call. */
export const CLOUDFORMATION_STOP_CODE = 'RehearsalStop';

class ApiError extends Error {
  constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xmlElements(values: Record<string, string>): string {
  return Object.entries(values).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
}

export class FakeAws {
  public readonly calls: RecordedCall[] = [];
  private readonly keys = new Map<string, Caller>();
  private readonly stacks = new Map<string, StoredStack>();
  private readonly detections = new Map<string, DriftDetection>();
  /** `<account>/<region>` -> bootstrap version; null: not bootstrapped. */
  private readonly bootstrap = new Map<string, number | null>();
  private readonly server: http.Server;
  private lifetime?: NodeJS.Timeout;
  private seq = 0;
  private port = 0;

  constructor(private readonly options: FakeAwsOptions) {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  /** Listens on 127.0.0.1 on a free port; returns the endpoint URL for `AWS_ENDPOINT_URL`. */
  public async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.lifetime = setTimeout(() => void this.stop(), this.options.maxLifetimeMs ?? 15 * 60_000);
    this.lifetime.unref();
    return this.endpoint;
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public async stop(): Promise<void> {
    if (this.lifetime) clearTimeout(this.lifetime);
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Long-lived keys of an IAM user holding `policies` (default: administrator). */
  public addStaticKey(accessKeyId: string, userArn: string, policies: any[] = [ADMINISTRATOR_POLICY]): void {
    this.keys.set(accessKeyId, { accessKeyId, kind: 'static', arn: userArn, account: userArn.split(':')[4], policies });
  }

  /** Creates or replaces a stack in its account and region (a new stack ID each time, as after a delete and create). */
  public deployStack(stack: DeployedStack): void {
    const partition = partitionOfRegion(stack.region);
    this.stacks.set(stackKey(stack.account, stack.region, stack.stackName), {
      ...stack,
      stackId: `arn:${partition}:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/${randomUUID()}`,
      createdAt: new Date().toISOString(),
    });
  }

  /** Deletes a stack (no-op when absent). */
  public removeStack(account: string, region: string, stackName: string): void {
    this.stacks.delete(stackKey(account, region, stackName));
  }

  /** Deletes every stack. */
  public clearStacks(): void {
    this.stacks.clear();
    this.detections.clear();
  }

  /** The bootstrap version SSM returns in `account`/`region`; undefined: not bootstrapped (ParameterNotFound). */
  public setBootstrapVersion(account: string, region: string, version: number | undefined): void {
    this.bootstrap.set(`${account}/${region}`, version ?? null);
  }

  /** Calls recorded since `mark` (a value of `calls.length`). */
  public since(mark: number): RecordedCall[] {
    return this.calls.slice(mark);
  }

  private record(call: Omit<RecordedCall, 'seq'>): void {
    this.calls.push({ seq: ++this.seq, ...call });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Loopback only: the server listens on 127.0.0.1, this is a second guard.
    if (req.socket.remoteAddress !== '127.0.0.1' && req.socket.remoteAddress !== '::ffff:127.0.0.1') {
      res.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf-8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    const accessKeyId = auth?.[1];
    const region = auth?.[2];
    const service = auth?.[3] ?? (req.headers['x-amz-target'] ? 'ssm' : 'sts');
    const caller = accessKeyId ? this.keys.get(accessKeyId) : undefined;
    try {
      if (service === 'sts') return await this.sts(res, new URLSearchParams(body), accessKeyId, caller);
      if (service === 'cloudformation') return await this.cloudFormation(res, new URLSearchParams(body), accessKeyId, caller, region ?? 'us-east-1');
      if (service === 'ssm') return await this.ssm(res, String(req.headers['x-amz-target'] ?? ''), body, accessKeyId, caller, region ?? 'us-east-1');
      if (service === 's3') return this.s3(res, req.method ?? 'GET', url, accessKeyId, caller);
      this.record({ service, action: `${req.method} ${url.pathname}`, accessKeyId, caller, outcome: 'UnknownService' });
      this.sendQueryError(res, STS_NS, new ApiError(400, 'UnknownService', `the rehearsal endpoint does not implement ${service}`));
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalFailure', String((e as Error)?.stack ?? e));
      this.sendQueryError(res, STS_NS, err);
    }
  }

  // ---- STS (query protocol, XML) ----

  private async sts(res: http.ServerResponse, params: URLSearchParams, accessKeyId: string | undefined, caller: Caller | undefined): Promise<void> {
    const action = params.get('Action') ?? '';
    const reply = (result: Record<string, string> | string) => this.sendXml(res, 200,
      `<${action}Response xmlns="${STS_NS}"><${action}Result>${typeof result === 'string' ? result : xmlElements(result)}</${action}Result>`
      + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    const fail = (err: ApiError, extra: Partial<RecordedCall> = {}) => {
      this.record({ service: 'sts', action, accessKeyId, caller, outcome: err.code, message: err.message, ...extra });
      this.sendQueryError(res, STS_NS, err);
    };

    if (action === 'AssumeRoleWithWebIdentity') {
      const roleArn = params.get('RoleArn') ?? '';
      const result = await this.assumeRoleWithWebIdentity(roleArn, params.get('RoleSessionName') ?? '', params.get('WebIdentityToken') ?? '');
      if ('error' in result) return fail(result.error, { target: roleArn, token: result.token });
      this.record({ service: 'sts', action, target: roleArn, outcome: 'ok', token: result.token, issued: result.session });
      return reply(this.credentialsXml(result.session)
        + xmlElements({ SubjectFromWebIdentityToken: result.token.sub ?? '', Audience: result.token.aud ?? '', Provider: result.provider }));
    }

    if (!accessKeyId) return fail(new ApiError(400, 'MissingAuthenticationToken', 'Request is missing Authentication Token'));
    if (!caller) return fail(new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'));

    if (action === 'GetCallerIdentity') {
      this.record({ service: 'sts', action, accessKeyId, caller, outcome: 'ok' });
      return reply({ Arn: caller.arn, UserId: `AIDA${caller.accessKeyId.slice(4)}`, Account: caller.account });
    }

    if (action === 'AssumeRole') {
      const target = params.get('RoleArn') ?? '';
      const sessionName = params.get('RoleSessionName') ?? '';
      if (!SESSION_NAME.test(sessionName)) {
        return fail(new ApiError(400, 'ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`), { target });
      }
      if (!/^arn:[^:]+:iam::\d{12}:role\/.+$/.test(target)) return fail(new ApiError(400, 'ValidationError', `${target} is invalid`), { target });
      const actions = ['sts:AssumeRole', ...([...params.keys()].some((k) => k.startsWith('Tags.')) ? ['sts:TagSession'] : [])];
      for (const a of actions) {
        const decision = await evaluateAssumeRole(caller.policies, caller.arn, target, a);
        if (decision !== 'Allowed') {
          return fail(new ApiError(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: ${a} on resource: ${target}`), { target });
        }
      }
      // Bootstrap roles hold a simplified copy of their bootstrap policies; any other role, nothing.
      const session = this.issue('assumed-role', target, sessionName, bootstrapSessionPolicies(target));
      this.record({ service: 'sts', action, accessKeyId, caller, target, outcome: 'ok', issued: session });
      return reply(this.credentialsXml(session));
    }

    return fail(new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`));
  }

  /** What STS does with a web identity token for a generic OIDC provider. */
  private async assumeRoleWithWebIdentity(roleArn: string, sessionName: string, jwt: string):
  Promise<{ session: Caller; token: { iss?: string; aud?: string; sub?: string }; provider: string } | { error: ApiError; token?: any }> {
    const claims = decodeJwtPayload(jwt);
    if (!claims) return { error: new ApiError(400, 'InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements") };
    const token = { iss: claims.iss, aud: Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud, sub: claims.sub };
    if (!SESSION_NAME.test(sessionName)) {
      return { token, error: new ApiError(400, 'ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`) };
    }
    const m = /^arn:([^:]+):iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (!m) return { token, error: new ApiError(400, 'ValidationError', `${roleArn} is invalid`) };
    const account = m[2];
    const provider = this.options.iam.provider(account, String(claims.iss ?? ''));
    if (!provider) return { token, error: new ApiError(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${claims.iss}`) };
    const audiences: string[] = [claims.aud].flat().filter((a) => typeof a === 'string');
    // An imported provider's client IDs are unknown here: its audience check is skipped (see the README of the rehearsal).
    if (provider.clientIds && !audiences.some((a) => provider.clientIds!.includes(a))) {
      return { token, error: new ApiError(400, 'InvalidIdentityToken', 'Incorrect token audience') };
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      return { token, error: new ApiError(400, 'ExpiredTokenException', 'Token expired: current date/time must be before the expiration date/time') };
    }
    const role = this.options.iam.role(roleArn);
    // STS answers a missing role exactly like a refused one.
    if (!role) return { token, error: new ApiError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity') };
    const host = provider.url.replace(/^https:\/\//, '');
    const context: Record<string, string> = { [`${host}:aud`]: audiences[0] ?? '' };
    if (typeof claims.sub === 'string') context[`${host}:sub`] = claims.sub;
    const decision = await evaluateWebIdentityTrust(role, provider.arn, context);
    if (decision !== 'Allowed') return { token, error: new ApiError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity') };
    if (role.managedPolicyArns.length > 0) {
      throw new Error(`${role.arn} has managed policies ${role.managedPolicyArns.join(', ')}: their documents are not modelled by the rehearsal`);
    }
    return { token, provider: provider.arn, session: this.issue('web-identity', role.arn, sessionName, role.inlinePolicies) };
  }

  private issue(kind: Caller['kind'], roleArn: string, sessionName: string, policies: any[]): Caller {
    const [, partition, , , account, resource] = roleArn.split(':');
    const roleName = resource.replace(/^role\/(.*\/)?/, '');
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const caller: Caller = { accessKeyId, kind, arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`, account, roleArn, policies };
    this.keys.set(accessKeyId, caller);
    return caller;
  }

  private credentialsXml(session: Caller): string {
    const [, roleName, sessionName] = session.arn.split(':')[5].split('/');
    return `<Credentials>${xmlElements({
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: randomBytes(20).toString('base64'),
      SessionToken: randomBytes(48).toString('base64'),
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
    })}</Credentials><AssumedRoleUser>${xmlElements({ Arn: session.arn, AssumedRoleId: `AROAREHEARSAL${roleName.length}:${sessionName}` })}</AssumedRoleUser>`;
  }

  // ---- CloudFormation (query protocol, XML) ----

  private async cloudFormation(
    res: http.ServerResponse, params: URLSearchParams, accessKeyId: string | undefined, caller: Caller | undefined, region: string,
  ): Promise<void> {
    const action = params.get('Action') ?? '';
    const target = params.get('StackName') ?? undefined;
    const input = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'Action' && k !== 'Version'));
    if (!caller) {
      this.record({ service: 'cloudformation', action, accessKeyId, target, region, input, outcome: 'InvalidClientTokenId' });
      return this.sendQueryError(res, CFN_NS, new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'));
    }
    if (!this.options.cloudFormationReads || !CLOUDFORMATION_READ_ACTIONS.includes(action)) {
      const message = `Rehearsal endpoint: CloudFormation ${action}${target ? ` of ${target}` : ''} reached as ${caller.arn}; the rehearsal stops here.`;
      this.record({ service: 'cloudformation', action, accessKeyId, caller, target, region, input, outcome: CLOUDFORMATION_STOP_CODE, message });
      return this.sendQueryError(res, CFN_NS, new ApiError(400, CLOUDFORMATION_STOP_CODE, message));
    }
    const fail = (err: ApiError) => {
      this.record({ service: 'cloudformation', action, accessKeyId, caller, target, region, input, outcome: err.code, message: err.message });
      this.sendQueryError(res, CFN_NS, err);
    };
    const reply = (result: string) => {
      this.record({ service: 'cloudformation', action, accessKeyId, caller, target, region, input, outcome: 'ok' });
      this.sendXml(res, 200, `<${action}Response xmlns="${CFN_NS}"><${action}Result>${result}</${action}Result>`
        + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    };

    const partition = partitionOfRegion(region);
    // StackName may be a name or a stack ID (ARN).
    const name = target?.startsWith('arn:') ? target.split(':')[5]?.split('/')[1] : target;
    const stack = name ? this.stacks.get(stackKey(caller.account, region, name)) : undefined;
    const detection = action === 'DescribeStackDriftDetectionStatus' ? this.detections.get(params.get('StackDriftDetectionId') ?? '') : undefined;
    // IAM decides on the stack's ARN; a stack that does not exist is decided on `stack/<name>/*` (any ID).
    const resource = action === 'DescribeStackDriftDetectionStatus' || !name ? '*'
      : stack?.stackId ?? `arn:${partition}:cloudformation:${region}:${caller.account}:stack/${name}/${randomUUID()}`;
    const shown = resource === '*' || stack ? resource : `arn:${partition}:cloudformation:${region}:${caller.account}:stack/${name}/*`;
    // A stack is decided with its tags; a missing one on its name alone (as if tagged as the caller's policy asks),
    // so CloudFormation's "does not exist" reaches the tool. The tool reports either answer.
    const resourceTags = stack ? Object.fromEntries(Object.entries(stack.tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v])) : requiredTags(caller.policies);
    const decision = await evaluateIdentityAction(caller.policies, caller.arn, `cloudformation:${action}`, resource, resourceTags);
    if (decision !== 'Allowed') return fail(accessDenied(caller.arn, `cloudformation:${action}`, shown, decision));

    const missing = () => fail(new ApiError(400, 'ValidationError', `Stack with id ${target} does not exist`));
    switch (action) {
      case 'DescribeStacks': {
        if (name && !stack) return missing();
        const listed = stack ? [stack] : [...this.stacks.values()].filter((s) => s.account === caller.account && s.region === region);
        return reply(`<Stacks>${listed.map((s) => `<member>${xmlElements({ StackId: s.stackId, StackName: s.stackName, CreationTime: s.createdAt, StackStatus: s.status ?? 'UPDATE_COMPLETE' })}`
          + `<DriftInformation>${xmlElements({ StackDriftStatus: s.detectedAt ? (s.drift?.length ? 'DRIFTED' : 'IN_SYNC') : 'NOT_CHECKED' })}</DriftInformation></member>`).join('')}</Stacks>`);
      }
      case 'GetTemplate': {
        if (!stack) return missing();
        return reply(`${xmlElements({ TemplateBody: JSON.stringify(stack.template) })}<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`);
      }
      case 'DetectStackDrift': {
        if (!stack) return missing();
        const id = randomUUID();
        stack.detectedAt = new Date().toISOString();
        this.detections.set(id, { id, stack, pollsLeft: this.options.driftPolls ?? 0 });
        return reply(xmlElements({ StackDriftDetectionId: id }));
      }
      case 'DescribeStackDriftDetectionStatus': {
        if (!detection) return fail(new ApiError(400, 'ValidationError', `Drift detection with id ${params.get('StackDriftDetectionId')} does not exist`));
        const inProgress = detection.pollsLeft > 0;
        if (inProgress) detection.pollsLeft--;
        const drifted = detection.stack.drift ?? [];
        return reply(xmlElements({
          StackId: detection.stack.stackId,
          StackDriftDetectionId: detection.id,
          ...(inProgress ? {} : { StackDriftStatus: drifted.length ? 'DRIFTED' : 'IN_SYNC', DriftedStackResourceCount: String(drifted.length) }),
          DetectionStatus: inProgress ? 'DETECTION_IN_PROGRESS' : 'DETECTION_COMPLETE',
          Timestamp: new Date().toISOString(),
        }));
      }
      default: { // DescribeStackResourceDrifts
        if (!stack) return missing();
        const filters = [...params.entries()].filter(([k]) => k.startsWith('StackResourceDriftStatusFilters.member.')).map(([, v]) => v);
        const wanted = (d: { StackResourceDriftStatus: string }) => filters.length === 0 || filters.includes(d.StackResourceDriftStatus);
        const drifts = stack.detectedAt ? resourceDrifts(stack).filter(wanted) : [];
        return reply(`<StackResourceDrifts>${drifts.map((d) => `<member>${xmlElements({
          StackId: stack.stackId,
          LogicalResourceId: d.LogicalResourceId,
          PhysicalResourceId: d.PhysicalResourceId,
          ResourceType: d.ResourceType,
          ...(d.ExpectedProperties !== undefined ? { ExpectedProperties: d.ExpectedProperties } : {}),
          ...(d.ActualProperties !== undefined ? { ActualProperties: d.ActualProperties } : {}),
          StackResourceDriftStatus: d.StackResourceDriftStatus,
          Timestamp: stack.detectedAt!,
        })}<PropertyDifferences>${d.PropertyDifferences.map((p) => `<member>${xmlElements(p)}</member>`).join('')}</PropertyDifferences></member>`).join('')}</StackResourceDrifts>`);
      }
    }
  }

  // ---- SSM (JSON 1.1) ----

  private async ssm(
    res: http.ServerResponse, targetHeader: string, body: string, accessKeyId: string | undefined, caller: Caller | undefined, region: string,
  ): Promise<void> {
    const action = targetHeader.replace(/^AmazonSSM\./, '');
    let input: any = {};
    try {
      input = JSON.parse(body || '{}');
    } catch { /* answered below as a bad request */ }
    const name = typeof input.Name === 'string' ? input.Name : '';
    const recorded = { service: 'ssm', action, accessKeyId, target: input.Name, region, input: { Name: name } };
    const send = (status: number, payload: any) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(payload));
    };
    if (!caller) {
      this.record({ ...recorded, outcome: 'UnrecognizedClientException' });
      return send(400, { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    }
    const arn = `arn:${partitionOfRegion(region)}:ssm:${region}:${caller.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
    const decision = await evaluateIdentityAction(caller.policies, caller.arn, `ssm:${action}`, arn);
    if (decision !== 'Allowed') {
      const err = accessDenied(caller.arn, `ssm:${action}`, arn, decision);
      this.record({ ...recorded, caller, outcome: 'AccessDeniedException', message: err.message });
      return send(400, { __type: 'AccessDeniedException', message: err.message });
    }
    const m = /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(name);
    const version = this.bootstrap.has(`${caller.account}/${region}`) ? this.bootstrap.get(`${caller.account}/${region}`) : this.options.bootstrapVersion ?? 30;
    if (action !== 'GetParameter' || !m || version === null || version === undefined) {
      this.record({ ...recorded, caller, outcome: 'ParameterNotFound' });
      return send(400, { __type: 'ParameterNotFound', message: `Parameter ${name} not found.` });
    }
    this.record({ ...recorded, caller, outcome: 'ok' });
    send(200, {
      Parameter: {
        Name: name,
        Type: 'String',
        Value: String(version),
        Version: 1,
        ARN: arn,
        DataType: 'text',
        LastModifiedDate: Date.now() / 1000,
      },
    });
  }

  // ---- S3 (REST, path style, as the SDK uses for an IP endpoint) ----

  private s3(res: http.ServerResponse, method: string, url: URL, accessKeyId: string | undefined, caller: Caller | undefined): void {
    const [bucket = '', ...keyParts] = url.pathname.replace(/^\//, '').split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    const query = [...url.searchParams.keys()];
    const action = method === 'GET' && url.searchParams.get('list-type') === '2' ? 'ListObjectsV2'
      : method === 'GET' && query.includes('location') ? 'GetBucketLocation'
        : method === 'HEAD' && !key ? 'HeadBucket'
          : method === 'HEAD' ? 'HeadObject'
            : method === 'PUT' && key ? 'PutObject'
              : `${method} ${query.join(',')}`;
    const target = `${bucket}/${key || url.searchParams.get('prefix') || ''}`;
    const xml = (status: number, text: string) => this.sendXml(res, status, text);
    if (!caller) {
      this.record({ service: 's3', action, accessKeyId, target, outcome: 'InvalidAccessKeyId' });
      return xml(403, '<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>');
    }
    this.record({ service: 's3', action, accessKeyId, caller, target, outcome: 'ok' });
    if (action === 'ListObjectsV2') {
      // Every asset already "exists": the CLI skips the upload and moves on to CloudFormation.
      const prefix = url.searchParams.get('prefix') ?? '';
      const contents = prefix ? `<Contents><Key>${xmlEscape(prefix)}</Key><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>` : '';
      return xml(200, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix>`
        + `<KeyCount>${prefix ? 1 : 0}</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    }
    if (action === 'GetBucketLocation') {
      return xml(200, '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>');
    }
    res.writeHead(200, { 'x-amz-request-id': randomUUID(), 'ETag': '"rehearsal"' });
    res.end();
  }

  private sendXml(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
  }

  private sendQueryError(res: http.ServerResponse, ns: string, err: ApiError): void {
    this.sendXml(res, err.status, `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type>${xmlElements({ Code: err.code, Message: err.message })}</Error>`
      + `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
}

function stackKey(account: string, region: string, stackName: string): string {
  return `${account}/${region}/${stackName}`;
}

/** AWS's refusal, worded as IAM words it for an identity-based decision. */
function accessDenied(principalArn: string, action: string, resource: string, decision: Decision): ApiError {
  const why = decision === 'ExplicitlyDenied' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return new ApiError(403, 'AccessDenied', `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
}

/** Every resource of a stack as DescribeStackResourceDrifts lists it after a detection: the configured drifts, the rest IN_SYNC. */
function resourceDrifts(stack: StoredStack) {
  const resources: Record<string, any> = stack.template?.Resources ?? {};
  return Object.entries(resources).map(([logicalId, resource]) => {
    const drift = stack.drift?.find((d) => d.logicalId === logicalId);
    const expected = resource.Properties ?? {};
    const actual = JSON.parse(JSON.stringify(expected));
    for (const d of drift?.differences ?? []) setPointer(actual, d.path, d.actual);
    const status = drift ? drift.status ?? 'MODIFIED' : 'IN_SYNC';
    return {
      LogicalResourceId: logicalId,
      PhysicalResourceId: `${stack.stackName}-${logicalId}-rehearsal`,
      ResourceType: String(resource.Type),
      ExpectedProperties: JSON.stringify(expected),
      ActualProperties: status === 'DELETED' ? undefined : JSON.stringify(actual),
      StackResourceDriftStatus: status,
      PropertyDifferences: (drift?.differences ?? []).map((d) => ({
        PropertyPath: d.path,
        ExpectedValue: d.expected === undefined ? '' : typeof d.expected === 'string' ? d.expected : JSON.stringify(d.expected),
        ActualValue: d.actual === undefined ? '' : typeof d.actual === 'string' ? d.actual : JSON.stringify(d.actual),
        DifferenceType: d.expected === undefined ? 'ADD' : d.actual === undefined ? 'REMOVE' : 'NOT_EQUAL',
      })),
    };
  });
}

/** Sets (or, with undefined, deletes) the value at a JSON pointer, creating objects on the way. */
function setPointer(doc: any, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = doc;
  for (const k of keys.slice(0, -1)) {
    if (node[k] === undefined || typeof node[k] !== 'object') node[k] = {};
    node = node[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The `aws:ResourceTag/<key>` values a caller's policies require (StringEquals), as the request context of a missing stack. */
function requiredTags(policies: any[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const statement of policies.flatMap((p) => [p.Statement].flat())) {
    for (const [key, value] of Object.entries<any>(statement?.Condition?.StringEquals ?? {})) {
      if (key.startsWith('aws:ResourceTag/') && typeof value === 'string') tags[key] = value;
    }
  }
  return tags;
}
