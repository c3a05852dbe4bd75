/**
 * A stand-in for CloudFormation's drift API on 127.0.0.1, spoken to by the
 * real AWS SDK through `AWS_ENDPOINT_URL` (query protocol, XML answers, as
 * test/rehearsal/fake-aws.ts): DescribeStacks, DetectStackDrift,
 * DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts (paged),
 * and STS AssumeRoleWithWebIdentity (granted or refused) for the read role.
 * Calls are signed with a known access key or refused as AWS would.
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
  /** Default `UPDATE_COMPLETE`. */
  readonly status?: string;
  /** How many status checks answer DETECTION_IN_PROGRESS before the result (default 0); `Infinity` never ends. */
  readonly checksInProgress?: number;
  /** Default DETECTION_COMPLETE. */
  readonly detectionStatus?: 'DETECTION_COMPLETE' | 'DETECTION_FAILED';
  readonly detectionStatusReason?: string;
  /** Every resource with its drift status (IN_SYNC ones too). */
  readonly resources: FakeResourceDrift[];
}

export interface FakeCloudFormationOptions {
  /** Deployed stacks by name; any other name does not exist. */
  readonly stacks: Record<string, FakeStack>;
  /** The only static access key accepted. */
  readonly accessKeyId: string;
  /** Account of the caller, in ARNs. */
  readonly account: string;
  /** `Action` + stack refused with AccessDenied, e.g. `DetectStackDrift production-Data`. */
  readonly deny?: string[];
  /** Role ARN STS grants to a web identity; any other role is refused as AWS does (role missing or trust mismatch). */
  readonly assumableRole?: string;
  /** Resource drifts per page (default 2, so pagination is exercised). */
  readonly pageSize?: number;
}

export interface FakeCall {
  readonly action: string;
  readonly stackName?: string;
  readonly params: Record<string, string>;
  readonly outcome: string;
}

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_KEY = 'ASIAFAKEDRIFTSESSION';

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function el(values: Record<string, string | number | undefined>): string {
  return Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`).join('');
}

class Refusal extends Error {
  constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

export class FakeCloudFormation {
  public readonly calls: FakeCall[] = [];
  private readonly server: http.Server;
  private readonly detections = new Map<string, { stackName: string; checks: number }>();

  constructor(private readonly options: FakeCloudFormationOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Actions called, in order, as `Action stack`. */
  public get actions(): string[] {
    return this.calls.map((c) => `${c.action}${c.stackName ? ` ${c.stackName}` : ''}`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf-8')));
    const action = params.Action ?? '';
    const key = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    const ns = action === 'AssumeRoleWithWebIdentity' ? STS_NS : CFN_NS;
    try {
      const result = action === 'AssumeRoleWithWebIdentity' ? this.assumeRole(params) : this.cloudFormation(action, params, key);
      this.calls.push({ action, stackName: params.StackName, params, outcome: 'ok' });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(`<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result>`
        + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    } catch (e) {
      const r = e instanceof Refusal ? e : new Refusal(500, 'InternalFailure', String(e));
      this.calls.push({ action, stackName: params.StackName, params, outcome: r.code });
      res.writeHead(r.status, { 'Content-Type': 'text/xml' });
      res.end(`<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type>${el({ Code: r.code, Message: r.message })}</Error>`
        + `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
    }
  }

  private assumeRole(params: Record<string, string>): string {
    if (params.RoleArn !== this.options.assumableRole) {
      throw new Refusal(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const role = params.RoleArn.split('/').pop();
    return `<Credentials>${el({ AccessKeyId: SESSION_KEY, SecretAccessKey: 'fake-session-secret', SessionToken: 'fake-session-token', Expiration: new Date(Date.now() + 3600_000).toISOString() })}</Credentials>`
      + `<AssumedRoleUser>${el({ Arn: `arn:aws:sts::${this.options.account}:assumed-role/${role}/${params.RoleSessionName}`, AssumedRoleId: `AROAFAKE:${params.RoleSessionName}` })}</AssumedRoleUser>`;
  }

  private cloudFormation(action: string, params: Record<string, string>, key: string | undefined): string {
    if (key !== this.options.accessKeyId && key !== SESSION_KEY) {
      throw new Refusal(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
    const detection = params.StackDriftDetectionId ? this.detections.get(params.StackDriftDetectionId) : undefined;
    const stackName = params.StackName ?? detection?.stackName ?? '';
    if (this.options.deny?.includes(`${action} ${stackName}`)) {
      throw new Refusal(403, 'AccessDenied', `User: arn:aws:sts::${this.options.account}:assumed-role/reader/session is not authorized to perform: `
        + `cloudformation:${action} on resource: arn:aws:cloudformation:eu-west-1:${this.options.account}:stack/${stackName}/* because no identity-based policy allows the cloudformation:${action} action`);
    }
    const stack = this.options.stacks[stackName];
    const stackId = `arn:aws:cloudformation:eu-west-1:${this.options.account}:stack/${stackName}/0000`;
    if (!stack) throw new Refusal(400, 'ValidationError', `Stack with id ${stackName} does not exist`);

    switch (action) {
      case 'DescribeStacks':
        return `<Stacks><member>${el({ StackName: stackName, StackId: stackId, CreationTime: '2025-01-01T00:00:00Z', StackStatus: stack.status ?? 'UPDATE_COMPLETE' })}</member></Stacks>`;
      case 'DetectStackDrift': {
        if (stack.status && !/_COMPLETE$/.test(stack.status)) {
          throw new Refusal(400, 'ValidationError', `Drift detection cannot be performed on stack ${stackName} in ${stack.status} state`);
        }
        const id = randomUUID();
        this.detections.set(id, { stackName, checks: 0 });
        return el({ StackDriftDetectionId: id });
      }
      case 'DescribeStackDriftDetectionStatus': {
        if (!detection) throw new Refusal(400, 'ValidationError', 'No drift detection with that ID');
        detection.checks++;
        const inProgress = detection.checks <= (stack.checksInProgress ?? 0);
        const drifted = stack.resources.filter((r) => r.StackResourceDriftStatus === 'MODIFIED' || r.StackResourceDriftStatus === 'DELETED').length;
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
      case 'DescribeStackResourceDrifts': {
        const filters = Object.entries(params).filter(([k]) => k.startsWith('StackResourceDriftStatusFilters.member.')).map(([, v]) => v);
        const matching = stack.resources.filter((r) => filters.length === 0 || filters.includes(r.StackResourceDriftStatus));
        const start = Number(params.NextToken ?? 0);
        const size = this.options.pageSize ?? 2;
        const page = matching.slice(start, start + size);
        const next = start + size < matching.length ? String(start + size) : undefined;
        const members = page.map((r) => `<member>${el({
          StackId: stackId,
          LogicalResourceId: r.LogicalResourceId,
          PhysicalResourceId: r.PhysicalResourceId,
          ResourceType: r.ResourceType,
          StackResourceDriftStatus: r.StackResourceDriftStatus,
          Timestamp: new Date().toISOString(),
        })}<PropertyDifferences>${(r.PropertyDifferences ?? []).map((p) => `<member>${el({ ...p })}</member>`).join('')}</PropertyDifferences></member>`);
        return `<StackResourceDrifts>${members.join('')}</StackResourceDrifts>${el({ NextToken: next })}`;
      }
      default:
        throw new Refusal(400, 'InvalidAction', `the drift stand-in does not implement ${action}`);
    }
  }
}
